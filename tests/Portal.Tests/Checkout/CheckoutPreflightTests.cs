using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Attempts;
using Portal.Core.Checkout;
using Portal.Tests.Infrastructure;
using Portal.Tests.Support;

namespace Portal.Tests.Checkout;

/// <summary>
/// Refusals before a session: with the quota used up, or the portal's own origin not allowed to embed the hosted page,
/// a start creates no attempt (nothing joins the customer's history) and no 0Gate session (nothing counts against the
/// quota); the customer reads why.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "Disposed in IAsyncLifetime.DisposeAsync.")]
public sealed class CheckoutPreflightTests : IAsyncLifetime
{
    private static readonly Uri Portal = new("http://127.0.0.1:5080/");
    private readonly ScriptedGate _gate = new();
    private CoreHarness _core = null!;

    public async Task InitializeAsync() => _core = await CoreHarness.StartAsync(gateHandler: _gate);

    public async Task DisposeAsync()
    {
        await _core.DisposeAsync();
        _gate.Dispose();
    }

    [Fact]
    public async Task A_used_up_quota_refuses_the_start_before_any_attempt_or_session()
    {
        _gate.Partner = """{"allowed_domains":["http://127.0.0.1:5080"],"quota":{"limit":100,"used":100,"warning_at":80}}""";

        var result = await StartAsync();

        result.Attempt.ShouldBeNull();
        result.Problem.ShouldBe(CheckoutPreflight.QuotaUnavailable);
        (await AttemptCountAsync()).ShouldBe(0);
        _gate.SessionRequests.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_portals_own_origin_missing_from_the_allowed_domains_refuses_the_start_as_unavailable()
    {
        _gate.Partner = """{"allowed_domains":["https://shop.example"],"quota":{"limit":100,"used":3,"warning_at":80}}""";

        var result = await StartAsync();

        result.Attempt.ShouldBeNull();
        result.Problem.ShouldBe("Checkout is unavailable right now. Please try again later.");
        (await AttemptCountAsync()).ShouldBe(0);
        _gate.SessionRequests.ShouldBeEmpty();

        // Admins are told on the overview, with where to fix it.
        var origin = _core.Get<CheckoutPreflight>().RecentOriginRefusal.ShouldNotBeNull();
        origin.ShouldBe("http://127.0.0.1:5080");
        var alert = global::Portal.Core.Admin.IntegrationAlerts.FromReadings(null, null, 0, TimeSpan.FromMinutes(15), origin).ShouldHaveSingleItem();
        alert.Kind.ShouldBe(global::Portal.Core.Admin.IntegrationAlertKind.OwnOriginNotAllowed);
        alert.Detail.ShouldContain("http://127.0.0.1:5080 is not among 0Gate's allowed domains");
        alert.ActionHref.ShouldBe("/admin/allowed-domains");
    }

    [Fact]
    public async Task An_allowed_origin_within_the_quota_starts_the_checkout()
    {
        _gate.Partner = """{"allowed_domains":["http://127.0.0.1:5080"],"quota":{"limit":100,"used":99,"warning_at":80}}""";

        var result = await StartAsync();

        result.Succeeded.ShouldBeTrue();
        (await AttemptCountAsync()).ShouldBe(1);
        _gate.SessionRequests.Count.ShouldBe(1);
        _core.Get<CheckoutPreflight>().RecentOriginRefusal.ShouldBeNull(); // no alert
    }

    [Fact]
    public async Task A_quota_0Gate_refuses_anyway_is_read_afresh_so_the_next_start_creates_no_attempt()
    {
        _gate.Partner = """{"allowed_domains":["http://127.0.0.1:5080"],"quota":{"limit":100,"used":99,"warning_at":80}}""";
        await StartAsync(); // reads (and caches) the partner settings
        _gate.Partner = """{"allowed_domains":["http://127.0.0.1:5080"],"quota":{"limit":100,"used":100,"warning_at":80}}""";
        _gate.FailNext(3, System.Net.HttpStatusCode.TooManyRequests, "quota_exhausted"); // every try of the resilient client

        await StartAsync(); // another instance used the last one: 0Gate refuses this session
        var before = await AttemptCountAsync();
        var next = await StartAsync();

        next.Attempt.ShouldBeNull();
        next.Problem.ShouldBe(CheckoutPreflight.QuotaUnavailable);
        (await AttemptCountAsync()).ShouldBe(before);
    }

    private async Task<CheckoutStartResult> StartAsync()
    {
        await using var scope = _core.Scope();
        return await scope.ServiceProvider.GetRequiredService<CheckoutService>().StartAsync(
            "acct_alice", new StartCheckout(CheckoutFlow.OnRamp, "25", "EUR", "USDC", "polygon", null, Guid.NewGuid()), Portal, default);
    }

    private Task<int> AttemptCountAsync() => _core.WithDbAsync(db => db.Attempts.CountAsync());
}
