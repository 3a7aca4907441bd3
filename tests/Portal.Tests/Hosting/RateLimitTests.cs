using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Attempts;
using Portal.Core.Checkout;
using Portal.Core.Reads;
using Portal.Core.Records;
using Portal.Core.StaffActions;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Hosting;

/// <summary>ASP.NET Core's built-in rate limiter on sign-in, and per-person limits on actions that call 0Gate.</summary>
public sealed class RateLimitTests : IClassFixture<RateLimitTests.Factory>
{
    private static readonly Uri PortalBase = new("https://portal.example/");
    private readonly Factory _app;

    public RateLimitTests(Factory app)
    {
        _app = app;
        app.Gate.Reset();
    }

    public sealed class Factory : ScriptedGateFactory
    {
        protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings() =>
        [
            new("RateLimits:SignInPerMinute", "5"),
            new("RateLimits:CheckoutStartsPerMinute", "2"),
            new("RateLimits:ReconcilesPerMinute", "1"),
        ];
    }

    [Fact]
    public async Task Sign_in_requests_beyond_the_window_get_429_with_retry_after()
    {
        var client = _app.CreateBrowserlessClient();
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add(await client.GetAsync("/login?returnUrl=%2F"));
        }

        answers.Add(await client.GetAsync("/signin-oidc?state=forged&code=x")); // the callback counts too
        var refused = await client.GetAsync("/login");

        answers.Take(4).ShouldAllBe(r => r.StatusCode == HttpStatusCode.Redirect); // off to the provider
        answers[4].StatusCode.ShouldNotBe(HttpStatusCode.TooManyRequests);
        refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        refused.Headers.RetryAfter.ShouldNotBeNull();
        refused.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("reason").GetString().ShouldBe("too_many_sign_ins");
        (await client.GetAsync("/healthz")).StatusCode.ShouldBe(HttpStatusCode.OK); // other routes are not limited
    }

    [Fact]
    public async Task A_customer_starting_checkouts_too_fast_is_told_to_wait_and_nothing_is_created()
    {
        var results = new List<CheckoutStartResult>();
        for (var i = 0; i < 3; i++)
        {
            await using var scope = _app.Services.CreateAsyncScope();
            results.Add(await scope.ServiceProvider.GetRequiredService<CheckoutService>()
                .StartAsync("acct-eager", new StartCheckout(CheckoutFlow.OnRamp, "20", "EUR", "USDC", "polygon", null, Guid.NewGuid()), PortalBase, default));
        }

        results.Take(2).ShouldAllBe(r => r.Succeeded);
        results[2].Attempt.ShouldBeNull();
        results[2].Problem.ShouldBe(CheckoutService.TooManyStarts);
        (await _app.Services.GetRequiredService<AttemptReads>().ListForOwnerAsync("acct-eager", 10, default)).Count.ShouldBe(2);
        _app.Gate.SessionsCreated.ShouldBe(2);
        await using var other = _app.Services.CreateAsyncScope();
        (await other.ServiceProvider.GetRequiredService<CheckoutService>()
            .StartAsync("acct-calm", new StartCheckout(CheckoutFlow.OnRamp, "20", "EUR", "USDC", "polygon", null, Guid.NewGuid()), PortalBase, default))
            .Succeeded.ShouldBeTrue(); // per customer, not global
    }

    [Fact]
    public async Task A_staff_member_reconciling_too_fast_is_told_to_wait_and_0Gate_is_not_read()
    {
        var writer = _app.Services.GetRequiredService<AttemptWriter>();
        var attempt = await writer.CreateAsync(new NewAttempt("acct-r", CheckoutFlow.OnRamp, 10m, "EUR", "USDC", "base"), default);
        _app.Gate.SetSession("gs_rl", "open");
        await writer.AttachSessionAsync(attempt.Id, "gs_rl", null, default);
        await using var scope = _app.Services.CreateAsyncScope();
        var reconciler = scope.ServiceProvider.GetRequiredService<SupportReconciler>();

        var quickSam = new StaffMember("quick-sam", "Quick Sam", "support");
        var first = await reconciler.ReconcileAsync(attempt.Id, quickSam, default);
        var second = await reconciler.ReconcileAsync(attempt.Id, quickSam, default);

        first.Outcome.ShouldBe(ReconcileOutcome.Unchanged);
        second.Outcome.ShouldBe(ReconcileOutcome.RateLimited);
        _app.Gate.SessionReads.ShouldBe(1);
    }
}
