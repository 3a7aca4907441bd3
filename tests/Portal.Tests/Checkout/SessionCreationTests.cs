using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Attempts;
using Portal.Core.Checkout;
using Portal.Core.Gate;
using Portal.Core.Reads;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Checkout;

/// <summary>
/// Creating the 0Gate session for an attempt: flow locked server-side, the attempt id as user_reference,
/// one Idempotency-Key per attempt across retries, bounded retries, then a customer-safe error.
/// </summary>
public sealed class SessionCreationTests : IClassFixture<SessionCreationTests.Factory>
{
    private static readonly Uri PortalBase = new("https://portal.example/");
    private readonly Factory _app;

    public SessionCreationTests(Factory app)
    {
        _app = app;
        app.Gate.Reset();
    }

    public sealed class Factory : ScriptedGateFactory;

    private static StartCheckout Buy(Guid? token = null) =>
        new(CheckoutFlow.OnRamp, "100", "EUR", "USDC", "polygon", null, token ?? Guid.NewGuid());

    [Fact]
    public async Task The_session_is_created_with_the_flow_locked_and_the_attempt_as_reference()
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var checkout = scope.ServiceProvider.GetRequiredService<CheckoutService>();

        var result = await checkout.StartAsync("acct-1", Buy(), PortalBase, default);

        result.Succeeded.ShouldBeTrue();
        result.Attempt!.Status.ShouldBe(AttemptStatus.RequiresAction);
        var request = _app.Gate.SessionRequests.ShouldHaveSingleItem();
        request.Body.GetProperty("flow").GetString().ShouldBe("on_ramp");
        request.Body.GetProperty("amount").GetString().ShouldBe("100");
        request.Body.GetProperty("user_reference").GetString().ShouldBe(result.Attempt.Id);
        request.Body.GetProperty("return_url").GetString().ShouldBe($"https://portal.example/checkout/{result.Attempt.Id}/return");
        request.Body.GetProperty("cancel_url").GetString().ShouldBe($"https://portal.example/checkout/{result.Attempt.Id}/cancel");
        request.IdempotencyKey.ShouldBe(result.Attempt.SessionIdempotencyKey.ToString());
        request.Authorization.ShouldBe("Bearer sk_test_portal_tests");
        var timeline = await _app.Services.GetRequiredService<AttemptReads>().GetTimelineAsync(result.Attempt.Id, default);
        timeline.ShouldContain(e => e.Kind == TimelineKind.GateRequest && e.GateRequestId == request.RequestId);
    }

    [Fact]
    public async Task Transient_failures_are_retried_with_the_same_idempotency_key()
    {
        _app.Gate.FailNext(2, HttpStatusCode.ServiceUnavailable);
        await using var scope = _app.Services.CreateAsyncScope();

        var result = await scope.ServiceProvider.GetRequiredService<CheckoutService>().StartAsync("acct-1", Buy(), PortalBase, default);

        result.Succeeded.ShouldBeTrue();
        _app.Gate.SessionRequests.Count.ShouldBe(3);
        _app.Gate.SessionRequests.Select(r => r.IdempotencyKey).Distinct().ShouldHaveSingleItem().ShouldBe(result.Attempt!.SessionIdempotencyKey.ToString());
        _app.Gate.SessionsCreated.ShouldBe(1);
    }

    [Fact]
    public async Task When_0Gate_stays_down_the_customer_gets_a_safe_error_and_a_retry_reuses_the_key()
    {
        _app.Gate.FailNext(100, HttpStatusCode.BadGateway);
        await using var scope = _app.Services.CreateAsyncScope();
        var checkout = scope.ServiceProvider.GetRequiredService<CheckoutService>();

        var failed = await checkout.StartAsync("acct-1", Buy(), PortalBase, default);

        failed.Succeeded.ShouldBeFalse();
        failed.Problem.ShouldBe(CheckoutService.GateUnavailable);
        failed.Problem!.ShouldNotContain("502");
        failed.Attempt!.Status.ShouldBe(AttemptStatus.PendingSession);
        _app.Gate.SessionRequests.Count.ShouldBe(3); // bounded: the first try and two retries
        var timeline = await _app.Services.GetRequiredService<AttemptReads>().GetTimelineAsync(failed.Attempt.Id, default);
        timeline.ShouldContain(e => e.Kind == TimelineKind.GateRequest && e.Summary.Contains("502", StringComparison.Ordinal));

        _app.Gate.Reset();
        var retried = await checkout.OpenSessionAsync(failed.Attempt, PortalBase, default);

        retried.Succeeded.ShouldBeTrue();
        retried.Attempt!.Id.ShouldBe(failed.Attempt.Id);
        _app.Gate.SessionRequests.ShouldHaveSingleItem().IdempotencyKey.ShouldBe(failed.Attempt.SessionIdempotencyKey.ToString());
    }

    [Fact]
    public async Task A_refused_session_is_reported_without_retrying()
    {
        _app.Gate.FailNext(1, HttpStatusCode.BadRequest);
        await using var scope = _app.Services.CreateAsyncScope();

        var result = await scope.ServiceProvider.GetRequiredService<CheckoutService>().StartAsync("acct-1", Buy(), PortalBase, default);

        result.Problem.ShouldBe(CheckoutService.GateRefused);
        result.Attempt!.Status.ShouldBe(AttemptStatus.Failed); // the same request would be refused again
        _app.Gate.SessionRequests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_path_0Gate_switched_off_is_shown_unavailable_from_then_on()
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var capabilities = _app.Services.GetRequiredService<GateCapabilitiesCache>();
        (await capabilities.GetAsync(default)).Flows.ShouldContain("swap");
        _app.Gate.FailNext(1, HttpStatusCode.BadRequest, "capability_unavailable");
        _app.Gate.Capabilities = """{"flows":["on_ramp","off_ramp"],"currencies":["EUR"],"tokens":["USDC","ETH"],"networks":["polygon"]}""";

        var result = await scope.ServiceProvider.GetRequiredService<CheckoutService>()
            .StartAsync("acct-1", new StartCheckout(CheckoutFlow.Swap, "1", "ETH", "USDC", "polygon", null, Guid.NewGuid()), PortalBase, default);

        result.Problem.ShouldBe(CheckoutService.PathUnavailable);
        (await capabilities.GetAsync(default)).Flows.ShouldNotContain("swap"); // re-read, not the cached answer
    }

    [Fact]
    public async Task A_quota_refusal_says_the_path_is_unavailable_and_closes_the_half_started_attempt()
    {
        _app.Gate.FailNext(10, HttpStatusCode.TooManyRequests, "quota_exhausted");
        await using var scope = _app.Services.CreateAsyncScope();

        var result = await scope.ServiceProvider.GetRequiredService<CheckoutService>().StartAsync("acct-quota", Buy(), PortalBase, default);

        result.Succeeded.ShouldBeFalse();
        result.Problem.ShouldBe(CheckoutService.PathUnavailable);
        result.Attempt!.Status.ShouldBe(AttemptStatus.Failed);
        result.Attempt.ClosedBy.ShouldBe(AttemptCloser.Refusal);
        var attempts = await _app.Services.GetRequiredService<AttemptReads>().ListForOwnerAsync("acct-quota", 10, default);
        attempts.ShouldAllBe(a => a.IsTerminal); // nothing half-started is left open
    }

    [Fact]
    public async Task A_double_clicked_start_creates_one_attempt_and_one_session()
    {
        var token = Guid.NewGuid();
        var starts = Enumerable.Range(0, 2).Select(async _ =>
        {
            await using var scope = _app.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<CheckoutService>().StartAsync("acct-dbl", Buy(token), PortalBase, default);
        });

        var results = await Task.WhenAll(starts);

        results.Select(r => r.Attempt!.Id).Distinct().ShouldHaveSingleItem();
        results.ShouldAllBe(r => r.Succeeded);
        _app.Gate.SessionsCreated.ShouldBe(1);
        (await _app.Services.GetRequiredService<AttemptReads>().ListForOwnerAsync("acct-dbl", 10, default)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Invalid_forms_create_nothing()
    {
        await using var scope = _app.Services.CreateAsyncScope();

        var result = await scope.ServiceProvider.GetRequiredService<CheckoutService>()
            .StartAsync("acct-invalid", Buy() with { Amount = "-1", WalletAddress = "not-a-wallet" }, PortalBase, default);

        result.Attempt.ShouldBeNull();
        result.Errors.Keys.ShouldBe(["Amount", "WalletAddress"], ignoreOrder: true);
        _app.Gate.SessionRequests.ShouldBeEmpty();
        (await _app.Services.GetRequiredService<AttemptReads>().ListForOwnerAsync("acct-invalid", 10, default)).ShouldBeEmpty();
    }
}
