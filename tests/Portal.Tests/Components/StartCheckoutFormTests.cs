using Bunit;
using MudBlazor;
using Portal.Components.Checkout;
using Portal.Core.Checkout;
using Portal.Core.Gate;

namespace Portal.Tests.Components;

public sealed class StartCheckoutFormTests : PortalComponentTest
{
    private static readonly GateCapabilities Everything = new(
        ["on_ramp", "off_ramp", "swap"], ["EUR", "USD"], ["USDC", "ETH"], ["polygon", "base"]);

    [Theory]
    [InlineData(CheckoutFlow.OnRamp)]
    [InlineData(CheckoutFlow.OffRamp)]
    [InlineData(CheckoutFlow.Swap)]
    public void A_flow_0Gate_does_not_allow_shows_an_unavailable_state_and_no_form(CheckoutFlow flow)
    {
        var allowed = Everything with { Flows = Everything.Flows.Where(f => f != flow.ToWire()).ToList() };

        var cut = Render<StartCheckoutForm>(p => p.Add(f => f.Flow, flow).Add(f => f.Capabilities, allowed));

        cut.Find("[data-testid=flow-unavailable]").TextContent.ShouldContain("not available right now");
        cut.FindAll("button").ShouldBeEmpty();
    }

    [Fact]
    public void Only_currencies_tokens_and_networks_0Gate_allows_are_offered()
    {
        var cut = Render<StartCheckoutForm>(p => p.Add(f => f.Flow, CheckoutFlow.OnRamp).Add(f => f.Capabilities, Everything with { Networks = ["base"] }));

        var selects = cut.FindComponents<MudSelect<string>>();
        selects.Single(s => s.Instance.Label == "Network").FindComponents<MudSelectItem<string>>().Select(i => i.Instance.Value).ShouldBe(["base"]);
        selects.Single(s => s.Instance.Label == "Currency").FindComponents<MudSelectItem<string>>().Select(i => i.Instance.Value).ShouldBe(["EUR", "USD"]);
    }

    [Fact]
    public void Choices_start_on_what_0Gate_offers_and_the_amount_is_left_to_the_customer()
    {
        var submitted = 0;
        var cut = Render<StartCheckoutForm>(p => p
            .Add(f => f.Flow, CheckoutFlow.OnRamp)
            .Add(f => f.Capabilities, Everything)
            .Add(f => f.OnSubmit, (StartCheckout _) => submitted++));

        cut.FindAll("button").Single(b => b.TextContent.Trim() == "Continue").Click();

        submitted.ShouldBe(0);
        cut.Markup.ShouldContain("Enter an amount greater than zero.");
        var selects = cut.FindComponents<MudSelect<string>>();
        selects.Single(s => s.Instance.Label == "Currency").Find("input").GetAttribute("value").ShouldBe("EUR");
        selects.Single(s => s.Instance.Label == "Network").Find("input").GetAttribute("value").ShouldBe("polygon");
    }

    [Fact]
    public void A_swap_never_preselects_the_same_asset_on_both_sides()
    {
        var cut = Render<StartCheckoutForm>(p => p.Add(f => f.Flow, CheckoutFlow.Swap).Add(f => f.Capabilities, Everything));

        var selects = cut.FindComponents<MudSelect<string>>();
        selects.Single(s => s.Instance.Label == "From").Find("input").GetAttribute("value").ShouldBe("USDC");
        selects.Single(s => s.Instance.Label == "To").Find("input").GetAttribute("value").ShouldBe("ETH");
    }

    [Theory]
    [InlineData("0", "Enter an amount greater than zero.")]
    [InlineData("-5", "Enter an amount greater than zero.")]
    [InlineData("2000000", "Enter an amount of at most 1,000,000.")]
    [InlineData("1.123456789", "Use at most 8 decimal places.")]
    public void Bad_swap_amounts_are_explained_inline(string amount, string message)
    {
        var submitted = 0;
        var cut = Render<StartCheckoutForm>(p => p
            .Add(f => f.Flow, CheckoutFlow.Swap)
            .Add(f => f.Capabilities, Everything)
            .Add(f => f.OnSubmit, (StartCheckout _) => submitted++));
        cut.FindComponent<MudNumericField<decimal?>>().Find("input").Change(amount);

        cut.FindAll("button").Single(b => b.TextContent.Trim() == "Continue").Click();

        submitted.ShouldBe(0);
        cut.Markup.ShouldContain(message);
    }

    [Fact]
    public async Task A_bad_wallet_address_is_refused_inline()
    {
        var submitted = 0;
        var cut = Render<StartCheckoutForm>(p => p
            .Add(f => f.Flow, CheckoutFlow.OnRamp)
            .Add(f => f.Capabilities, Everything)
            .Add(f => f.OnSubmit, (StartCheckout _) => submitted++));
        await FillBuyAsync(cut, wallet: "0x123");

        cut.FindAll("button").Single(b => b.TextContent.Trim() == "Continue").Click();

        submitted.ShouldBe(0);
        cut.Markup.ShouldContain("Enter a wallet address like 0x followed by 40 hexadecimal characters, or leave it empty.");
    }

    [Fact]
    public async Task A_valid_buy_submits_the_locked_values_with_one_start_token()
    {
        var submissions = new List<StartCheckout>();
        var cut = Render<StartCheckoutForm>(p => p
            .Add(f => f.Flow, CheckoutFlow.OnRamp)
            .Add(f => f.Capabilities, Everything)
            .Add(f => f.OnSubmit, (StartCheckout form) => submissions.Add(form)));
        await FillBuyAsync(cut, wallet: "0x52908400098527886E0F7030069857D2E4169EE7");

        var button = cut.FindAll("button").Single(b => b.TextContent.Trim() == "Continue");
        button.Click();
        cut.FindAll("button").Single(b => b.TextContent.Trim() == "Continue").Click();

        submissions.Count.ShouldBe(2);
        submissions[0].ShouldBe(new StartCheckout(CheckoutFlow.OnRamp, 100m, "EUR", "USDC", "polygon", "0x52908400098527886E0F7030069857D2E4169EE7", submissions[0].StartToken));
        submissions[1].StartToken.ShouldBe(submissions[0].StartToken); // a double click is one start on the server
    }

    [Fact]
    public async Task A_sell_shows_a_confirmation_summary_before_submitting()
    {
        var submissions = new List<StartCheckout>();
        var cut = Render<StartCheckoutForm>(p => p
            .Add(f => f.Flow, CheckoutFlow.OffRamp)
            .Add(f => f.Capabilities, Everything)
            .Add(f => f.OnSubmit, (StartCheckout form) => submissions.Add(form)));
        await SelectAsync(cut, "Asset to sell", "ETH");
        await SelectAsync(cut, "Receive in", "EUR");
        cut.FindComponent<MudNumericField<decimal?>>().Find("input").Change("250");

        cut.FindAll("button").Single(b => b.TextContent.Trim() == "Continue").Click();

        submissions.ShouldBeEmpty();
        var summary = cut.Find("[data-testid=sell-summary]").TextContent;
        summary.ShouldContain("ETH on polygon");
        summary.ShouldContain("250 EUR before fees");
        cut.FindAll("button").Single(b => b.TextContent.Trim() == "Confirm sell").Click();
        submissions.ShouldHaveSingleItem().ShouldBe(new StartCheckout(CheckoutFlow.OffRamp, 250m, "EUR", "ETH", "polygon", null, submissions[0].StartToken));
    }

    [Fact]
    public void A_swap_promises_no_price()
    {
        var cut = Render<StartCheckoutForm>(p => p.Add(f => f.Flow, CheckoutFlow.Swap).Add(f => f.Capabilities, Everything));

        cut.Find("[data-testid=swap-quote-note]").TextContent.ShouldContain("No price is promised here");
    }

    [Fact]
    public void Errors_from_the_server_are_shown_beside_their_fields()
    {
        var cut = Render<StartCheckoutForm>(p => p
            .Add(f => f.Flow, CheckoutFlow.Swap)
            .Add(f => f.Capabilities, Everything)
            .Add(f => f.ServerErrors, new Dictionary<string, string> { ["Amount"] = "Enter an amount of at most 1,000,000." }));

        cut.Markup.ShouldContain("Enter an amount of at most 1,000,000.");
    }

    [Fact]
    public void Fiat_amounts_allow_cents_only()
    {
        var cut = Render<StartCheckoutForm>(p => p.Add(f => f.Flow, CheckoutFlow.OnRamp).Add(f => f.Capabilities, Everything));
        cut.FindComponent<MudNumericField<decimal?>>().Find("input").Change("10.005");

        cut.FindAll("button").Single(b => b.TextContent.Trim() == "Continue").Click();

        cut.Markup.ShouldContain("Use at most 2 decimal places.");
    }

    private static async Task FillBuyAsync(IRenderedComponent<StartCheckoutForm> cut, string wallet)
    {
        cut.FindComponent<MudNumericField<decimal?>>().Find("input").Change("100");
        await SelectAsync(cut, "Currency", "EUR");
        await SelectAsync(cut, "Token", "USDC");
        await SelectAsync(cut, "Network", "polygon");
        cut.FindComponents<MudTextField<string>>().Single(t => t.Instance.Label!.StartsWith("Wallet", StringComparison.Ordinal)).Find("input").Change(wallet);
    }

    private static Task SelectAsync(IRenderedComponent<StartCheckoutForm> cut, string label, string value)
    {
        var select = cut.FindComponents<MudSelect<string>>().Single(s => s.Instance.Label == label);
        return cut.InvokeAsync(() => select.Instance.SelectOption(value));
    }
}
