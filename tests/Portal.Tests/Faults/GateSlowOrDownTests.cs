using System.Diagnostics;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Attempts;
using Portal.Core.Audit;
using Portal.Core.Checkout;
using Portal.Core.Gate;
using Portal.Core.Reads;
using Portal.Core.Records;
using Portal.Core.StaffActions;
using Portal.Tests.Infrastructure;
using Portal.Tests.Support;
using Xunit.Abstractions;

namespace Portal.Tests.Faults;

/// <summary>
/// 0Gate hangs, then answers 503, then recovers (issue 20, case 4), with the real host calling a real HTTP server
/// through its whole outbound pipeline (the resilience handler: 3 s per try, 3 tries, 10 s in all). Support's reconcile
/// and cancel come back within the bound and say what happened (timeline and audit); the receipt job fails, is retried
/// with back-off (5 s, then 10 s), is noted on the attempt's timeline, and stores the receipt once 0Gate is back.
/// </summary>
public sealed class GateSlowOrDownTests(ITestOutputHelper output) : IAsyncLifetime, IDisposable
{
    /// <summary>The Gate client's total request timeout, plus what a busy machine may add (more on a loaded one).</summary>
    private static TimeSpan Bound => TimeSpan.FromSeconds(10) + MachineLoad.Bound(TimeSpan.FromSeconds(3), out _);

    private LoopbackGate? _gate;
    private GatePortal? _portal;

    public async Task InitializeAsync()
    {
        _gate = await LoopbackGate.StartAsync(LoopbackGateMode.Hanging);
        _portal = new GatePortal(_gate.Origin);
    }

    [Fact]
    public async Task Reconcile_cancel_and_the_receipt_job_are_bounded_reported_and_retried_until_0Gate_is_back()
    {
        var gate = _gate!;
        var portal = _portal!;
        var writer = portal.Services.GetRequiredService<AttemptWriter>();
        var toReconcile = await SeedAsync(writer);
        var toCancel = await SeedAsync(writer);
        var toFulfil = await SeedAsync(writer);
        using var client = portal.CreateClient();

        // 0Gate hangs: all three calls at once, each bounded by the client's timeouts.
        await using var scope = portal.Services.CreateAsyncScope();
        var clock = Stopwatch.StartNew();
        var reconcile = Timed(() => scope.ServiceProvider.GetRequiredService<SupportReconciler>().ReconcileAsync(toReconcile.Id, Staff.Sam, CancellationToken.None));
        var cancel = Timed(() => scope.ServiceProvider.GetRequiredService<SupportCanceller>().CancelSessionAsync(toCancel.Id, Staff.Sam, "customer asked", CancellationToken.None));
        var eventId = "evt_" + Guid.NewGuid().ToString("n");
        using (var delivered = await client.SendAsync(TestWebhookSigner.SignedDelivery(
            GateEvents.Json(eventId, GateEventTypes.SessionCompleted, toFulfil.GateSessionId, toFulfil.Id, "tx_" + toFulfil.Id[4..]))))
        {
            delivered.StatusCode.ShouldBe(HttpStatusCode.OK, "a webhook never waits on 0Gate");
        }

        var firstTry = await WaitForJobAsync(portal, toFulfil.Id, job => job.Tries == 1, TimeSpan.FromSeconds(30));
        var receiptFailedAfter = clock.Elapsed;
        var (reconciled, reconcileTook) = await reconcile;
        var (cancelled, cancelTook) = await cancel;
        output.WriteLine($"0Gate hanging: reconcile answered in {reconcileTook.TotalSeconds:0.0} s ({reconciled.Outcome}), cancel in {cancelTook.TotalSeconds:0.0} s ({cancelled.Outcome}), "
            + $"receipt job's first try failed after {receiptFailedAfter.TotalSeconds:0.0} s ({firstTry.LastError}); 0Gate saw {gate.Requests} requests");

        reconciled.Outcome.ShouldBe(ReconcileOutcome.GateUnavailable);
        cancelled.Outcome.ShouldBe(CancelSessionOutcome.GateUnavailable);
        reconcileTook.ShouldBeLessThan(Bound);
        cancelTook.ShouldBeLessThan(Bound);
        receiptFailedAfter.ShouldBeLessThan(Bound + TimeSpan.FromSeconds(2));
        firstTry.LastError.ShouldNotBeNull().ShouldContain("0Gate: unreachable");
        firstTry.LockedUntil.ShouldBeNull("a failed try gives its lease back");
        (firstTry.RunAfter - DateTimeOffset.UtcNow).ShouldBeLessThanOrEqualTo(TimeSpan.FromSeconds(5), "first retry after 5 s");
        (await AttemptAsync(portal, toReconcile.Id)).Status.ShouldBe(AttemptStatus.RequiresAction, "nothing changed");
        (await AttemptAsync(portal, toCancel.Id)).Status.ShouldBe(AttemptStatus.RequiresAction, "nothing changed");

        // Staff are told: a timeline note on each attempt, an audit entry for each staff action.
        var attempts = portal.Services.GetRequiredService<AttemptReads>();
        var audit = portal.Services.GetRequiredService<AuditLog>();
        (await attempts.GetTimelineAsync(toReconcile.Id, default)).ShouldContain(e => e.Summary.StartsWith("Reconcile by Sam failed: 0Gate unavailable", StringComparison.Ordinal));
        (await attempts.GetTimelineAsync(toCancel.Id, default)).ShouldContain(e => e.Summary.StartsWith("Session cancel by Sam failed", StringComparison.Ordinal));
        (await attempts.GetTimelineAsync(toFulfil.Id, default)).ShouldContain(e => e.Summary.StartsWith("Receipt fetch failed: 0Gate: unreachable", StringComparison.Ordinal));
        (await audit.ForAttemptAsync(toReconcile.Id, default)).ShouldContain(e => e.Action == AuditAction.Reconcile && e.Result == AuditResult.Failed);
        (await audit.ForAttemptAsync(toCancel.Id, default)).ShouldContain(e => e.Action == AuditAction.CancelSession && e.Result == AuditResult.Failed);

        // 0Gate answers 503: the second try fails fast, the next one waits twice as long.
        gate.Mode = LoopbackGateMode.Down;
        var secondTry = await WaitForJobAsync(portal, toFulfil.Id, job => job.Tries == 2, TimeSpan.FromSeconds(30));
        secondTry.LastError.ShouldNotBeNull().ShouldContain("0Gate: 503");
        var backoff = secondTry.RunAfter - DateTimeOffset.UtcNow;
        backoff.ShouldBeInRange(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10));

        // 0Gate is back: the next try stores the receipt, once, and the job is done.
        gate.Mode = LoopbackGateMode.Healthy;
        var done = await WaitForJobAsync(portal, toFulfil.Id, job => job.CompletedAt is not null, TimeSpan.FromSeconds(30));
        done.GaveUp.ShouldBeFalse();
        (await portal.WithDbAsync(db => db.Receipts.CountAsync(r => r.AttemptId == toFulfil.Id))).ShouldBe(1);
        (await attempts.GetTimelineAsync(toFulfil.Id, default)).Count(e => e.Summary.StartsWith("Receipt fetch failed", StringComparison.Ordinal)).ShouldBe(1, "noted once, not at every retry");
        output.WriteLine($"  0Gate down (503): second try failed ({secondTry.LastError}), next in {backoff.TotalSeconds:0.0} s; "
            + $"0Gate back: receipt stored after {done.Tries + 1} tries, {clock.Elapsed.TotalSeconds:0.0} s after the delivery");
    }

    private static async Task<(T Result, TimeSpan Took)> Timed<T>(Func<Task<T>> call)
    {
        var clock = Stopwatch.StartNew();
        var result = await call();
        return (result, clock.Elapsed);
    }

    private static async Task<(string Id, string GateSessionId)> SeedAsync(AttemptWriter writer)
    {
        var attempt = await writer.CreateAsync(new NewAttempt("acct-gate-down", CheckoutFlow.OnRamp, 10m, "EUR", "USDC", "base"), CancellationToken.None);
        var session = "gs_" + Guid.NewGuid().ToString("n");
        await writer.AttachSessionAsync(attempt.Id, session, null, CancellationToken.None);
        return (attempt.Id, session);
    }

    private static Task<CheckoutAttempt> AttemptAsync(GatePortal portal, string id) =>
        portal.WithDbAsync(async db => await db.Attempts.AsNoTracking().SingleAsync(a => a.Id == id));

    private static async Task<BackgroundJob> WaitForJobAsync(GatePortal portal, string attemptId, Func<BackgroundJob, bool> condition, TimeSpan timeout)
    {
        BackgroundJob? job = null;
        await Wait.UntilAsync(
            async () =>
            {
                job = await portal.WithDbAsync(db => db.Jobs.AsNoTracking().SingleOrDefaultAsync(j => j.AttemptId == attemptId && j.Kind == JobKinds.FetchReceipt));
                return job is not null && condition(job);
            },
            timeout,
            () => $"the receipt job of {attemptId} did not get there: tries {job?.Tries}, last error {job?.LastError}, run after {job?.RunAfter:HH:mm:ss}");
        return job!;
    }

    public void Dispose() => _portal?.Dispose();

    public async Task DisposeAsync()
    {
        if (_portal is not null)
        {
            await _portal.DisposeAsync();
        }

        if (_gate is not null)
        {
            await _gate.DisposeAsync();
        }
    }

    /// <summary>The real host, its 0Gate API a <see cref="LoopbackGate"/>.</summary>
    private sealed class GatePortal(string gateOrigin) : PortalAppFactory
    {
        protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings() =>
        [
            new("Gate:ApiBaseUrl", gateOrigin),
            new("Logging:LogLevel:Default", "Critical"),
        ];
    }
}
