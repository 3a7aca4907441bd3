using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Attempts;
using Portal.Core.Checkout;
using Portal.Core.Gate;
using Portal.Tests.Infrastructure;
using Portal.Tests.Support;

namespace Portal.Tests.Checkout;

/// <summary>
/// Amounts per asset, as 0Gate's capabilities give them: each asset's own decimals (EUR 2, USDC 6, ETH 18), its own
/// minimum and maximum named when an amount is outside them, and a refused amount never reaches 0Gate or the store.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "Disposed in IAsyncLifetime.DisposeAsync.")]
public sealed class AssetAmountTests : IAsyncLifetime
{
    private static readonly GateAsset Eur = new("EUR", 2, "1.00", "10000.00");
    private static readonly GateAsset Cop = new("COP", 2, "5000.00", "40000000.00");
    private static readonly GateAsset Usdc = new("USDC", 6, "1", "10000");
    private static readonly GateAsset Eth = new("ETH", 18, "0.001", "5");

    private const string CapabilitiesWithAssets = """
        {"flows":["on_ramp","off_ramp","swap"],"currencies":["EUR"],"tokens":["USDC","ETH"],"networks":["polygon"],
         "assets":[{"code":"EUR","decimals":2,"min_amount":"1.00","max_amount":"10000.00"},
                   {"code":"USDC","decimals":6,"min_amount":"1","max_amount":"10000"},
                   {"code":"ETH","decimals":18,"min_amount":"0.001","max_amount":"5"}]}
        """;

    private readonly ScriptedGate _gate = new() { Capabilities = CapabilitiesWithAssets };
    private CoreHarness _core = null!;

    public async Task InitializeAsync() => _core = await CoreHarness.StartAsync(gateHandler: _gate);

    public async Task DisposeAsync()
    {
        await _core.DisposeAsync();
        _gate.Dispose();
    }

    [Theory]
    [InlineData("EUR", "10.55", true)]
    [InlineData("EUR", "10.555", false)]
    [InlineData("USDC", "1.000001", true)]
    [InlineData("USDC", "1.0000001", false)]
    [InlineData("ETH", "0.001000000000000001", true)]
    [InlineData("ETH", "0.0010000000000000001", false)]
    public void Each_asset_takes_its_own_decimals(string code, string text, bool accepted)
    {
        var asset = new[] { Eur, Usdc, Eth }.Single(a => a.Code == code);

        StartCheckoutRules.TryParseAmount(text, CheckoutFlow.Swap, out var amount, out var problem, asset).ShouldBe(accepted, problem);

        if (accepted)
        {
            amount.ShouldBe(decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture)); // exact, never reinterpreted
        }
        else
        {
            problem.ShouldContain($"at most {asset.Decimals} decimal places");
        }
    }

    [Theory]
    [InlineData("0.99", "The minimum for EUR is 1.00 EUR.")]
    [InlineData("10000.01", "The maximum for EUR is 10000.00 EUR.")]
    public void Limits_are_per_currency_and_named(string text, string message)
    {
        StartCheckoutRules.TryParseAmount(text, CheckoutFlow.OnRamp, out _, out var problem, Eur).ShouldBeFalse();
        problem.ShouldBe(message);
    }

    [Fact]
    public void Cop_and_eth_have_their_own_limits_not_one_shared_maximum()
    {
        StartCheckoutRules.TryParseAmount("2000000", CheckoutFlow.OnRamp, out _, out _, Cop).ShouldBeTrue();
        StartCheckoutRules.TryParseAmount("2000000", CheckoutFlow.Swap, out _, out var eth, Eth).ShouldBeFalse();
        eth.ShouldBe("The maximum for ETH is 5.000000000000000000 ETH.");
        StartCheckoutRules.TryParseAmount("1000", CheckoutFlow.OnRamp, out _, out var cop, Cop).ShouldBeFalse();
        cop.ShouldBe("The minimum for COP is 5000.00 COP.");
    }

    [Theory]
    [InlineData("EUR", "15", "15.00")]
    [InlineData("EUR", "10.5", "10.50")]
    [InlineData("USDC", "2.5", "2.500000")]
    [InlineData("ETH", "0.01", "0.010000000000000000")]
    public void Amounts_are_shown_with_the_assets_decimals(string code, string text, string shown)
    {
        var asset = new[] { Eur, Usdc, Eth }.Single(a => a.Code == code);
        asset.Format(decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture)).ShouldBe(shown);
    }

    [Theory]
    [InlineData(CheckoutFlow.OffRamp, "0.01", "EUR", "USDC", "The minimum for EUR is 1.00 EUR.")]
    [InlineData(CheckoutFlow.Swap, "0.00000001", "USDC", "ETH", "Use at most 6 decimal places, for example 0.025.")]
    [InlineData(CheckoutFlow.Swap, "6", "ETH", "USDC", "The maximum for ETH is 5.000000000000000000 ETH.")]
    public async Task An_amount_outside_the_assets_rules_is_refused_before_any_attempt_or_session(
        CheckoutFlow flow, string amount, string currency, string target, string message)
    {
        await using var scope = _core.Scope();
        var result = await scope.ServiceProvider.GetRequiredService<CheckoutService>().StartAsync(
            "acct_alice", new StartCheckout(flow, amount, currency, target, "polygon", null, Guid.NewGuid()), new Uri("http://127.0.0.1:5080/"), default);

        result.Attempt.ShouldBeNull();
        result.Errors["Amount"].ShouldBe(message);
        (await _core.WithDbAsync(db => db.Attempts.CountAsync())).ShouldBe(0);
        _gate.SessionRequests.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_capabilities_0Gate_sends_carry_each_assets_rules()
    {
        var capabilities = await _core.Get<GateCapabilitiesCache>().GetAsync(default);

        capabilities.AssetFor("USDC").ShouldBe(Usdc);
        capabilities.AssetFor("ETH")!.Decimals.ShouldBe(18);
        capabilities.AssetFor("DKK").ShouldBeNull();
    }
}
