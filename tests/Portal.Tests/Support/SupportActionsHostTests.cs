using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Attempts;
using Portal.Core.Audit;
using Portal.Core.Checkout;
using Portal.Core.Gate;
using Portal.Core.Reads;
using Portal.Core.Records;
using Portal.Core.StaffActions;
using Portal.Tests.Infrastructure;
using Portal.Tests.Sandbox;

namespace Portal.Tests.Support;

/// <summary>Support's actions on the real host against a real 0Gate sandbox, on each store.</summary>
public abstract class SupportActionsHostTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : SandboxPortalAppFactory
{
    private static readonly Uri PortalBase = new("http://localhost:5080/");

    [Fact]
    public async Task Two_agents_cancelling_the_same_session_close_the_attempt_once()
    {
        var attempt = await StartAsync("acct_host_cancel");

        var results = await Task.WhenAll(
            CancelAsync(attempt.Id, Staff.Sam, "Customer asked by phone"),
            CancelAsync(attempt.Id, Staff.Ada, "Customer asked by mail"));

        results.ShouldAllBe(r => r.Attempt!.Status == AttemptStatus.Cancelled);
        // The second agent either reached 0Gate too (both audited) or read the attempt already closed (nothing to do).
        var reachedGate = results.Count(r => r.Outcome != CancelSessionOutcome.NotApplicable);
        reachedGate.ShouldBeInRange(1, 2);
        var timeline = await factory.Services.GetRequiredService<AttemptReads>().GetTimelineAsync(attempt.Id, default);
        timeline.Count(e => e.Kind == TimelineKind.StateChanged && e.ToStatus == AttemptStatus.Cancelled).ShouldBe(1);
        var session = await factory.Sandbox.Client.GetFromJsonAsync<JsonElement>($"/v1/gate_sessions/{attempt.GateSessionId}");
        session.GetProperty("status").GetString().ShouldBe("cancelled");
        var audit = await factory.Services.GetRequiredService<AuditLog>().ForAttemptAsync(attempt.Id, default);
        audit.Count.ShouldBe(reachedGate); // whoever asked 0Gate is audited; only one changed the attempt
        audit.Count(e => e.Result == AuditResult.Changed).ShouldBe(1);
        audit.ShouldAllBe(e => e.Action == AuditAction.CancelSession);
    }

    [Fact]
    public async Task Bulk_reconcile_reads_the_window_and_sums_up_changed_unchanged_and_failed()
    {
        var from = DateTimeOffset.UtcNow.AddSeconds(-1);
        var completed = await StartAsync("acct_host_bulk");
        await CompleteAsync(completed.GateSessionId!);
        var open = await StartAsync("acct_host_bulk");
        var unknown = await Writer.CreateAsync(new NewAttempt("acct_host_bulk", CheckoutFlow.OnRamp, 10m, "EUR", "USDC", "polygon"), default);
        await Writer.AttachSessionAsync(unknown.Id, "gs_unknown_to_the_sandbox_" + Guid.NewGuid().ToString("n"), null, default);
        var request = new BulkReconcileRequest(from, DateTimeOffset.UtcNow.AddSeconds(1), BulkReconcileRequest.DefaultStatuses);

        await using var scope = factory.Services.CreateAsyncScope();
        var bulk = scope.ServiceProvider.GetRequiredService<BulkReconciler>();
        (await bulk.PreviewAsync(request, default)).Matching.ShouldBe(3);
        var summary = await bulk.RunAsync(request, Staff.Sam, null, default);

        summary.Outcome.ShouldBe(BulkReconcileOutcome.Completed);
        (summary.Progress!.Total, summary.Progress.Changed, summary.Progress.Unchanged, summary.Progress.Failed).ShouldBe((3, 1, 1, 1));
        (await Attempts.GetAsync(completed.Id, default))!.Status.ShouldBe(AttemptStatus.Fulfilled);
        (await Attempts.GetAsync(open.Id, default))!.Status.ShouldBe(AttemptStatus.RequiresAction);
        var log = await factory.Services.GetRequiredService<AuditLog>().QueryAsync(new AuditFilter { RunId = summary.Progress.RunId }, 0, 10, default);
        log.Entries.Select(e => (e.Action, e.Result, e.AttemptId)).ShouldBe(
        [
            (AuditAction.BulkReconcile, AuditResult.Completed, null),
            (AuditAction.Reconcile, AuditResult.Changed, completed.Id),
        ]);
    }

    [Fact]
    public async Task An_events_deliveries_come_from_0Gate_for_that_event_only()
    {
        await StartAsync("acct_host_deliveries");
        await StartAsync("acct_host_deliveries");
        var events = await WaitForTriedDeliveriesAsync(minimum: 2);
        var eventId = events[0];

        var history = await factory.Services.GetRequiredService<EventDeliveryHistory>().ForEventAsync(eventId, default);

        history.Problem.ShouldBeNull();
        history.RequestId.ShouldStartWith("req_");
        var delivery = history.Deliveries.ShouldHaveSingleItem();
        delivery.EventId.ShouldBe(eventId);
        delivery.Attempts.ShouldNotBeNull().ShouldNotBeEmpty();
        delivery.Attempts[0].Attempt.ShouldBe(1);
        delivery.Attempts[0].Error.ShouldBe("no webhook_url configured for the partner"); // this sandbox partner has none
    }

    /// <summary>Event ids the sandbox has tried to deliver at least once (its worker runs on its own).</summary>
    private async Task<List<string>> WaitForTriedDeliveriesAsync(int minimum)
    {
        List<string> tried = [];
        await Wait.UntilAsync(async () =>
        {
            var listing = await factory.Sandbox.Client.GetFromJsonAsync<JsonElement>("/v1/webhook_deliveries?limit=500");
            tried = [.. listing.GetProperty("data").EnumerateArray()
                .Where(d => d.GetProperty("attempts").GetArrayLength() > 0)
                .Select(d => d.GetProperty("event_id").GetString()!)
                .Distinct()];
            return tried.Count >= minimum;
        }, TimeSpan.FromSeconds(20), () => $"only {tried.Count} event(s) tried");
        return tried;
    }

    private AttemptWriter Writer => factory.Services.GetRequiredService<AttemptWriter>();

    private AttemptReads Attempts => factory.Services.GetRequiredService<AttemptReads>();

    private async Task<CheckoutAttempt> StartAsync(string account)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var started = await scope.ServiceProvider.GetRequiredService<CheckoutService>()
            .StartAsync(account, new StartCheckout(CheckoutFlow.OnRamp, "25", "EUR", "USDC", "polygon", null, Guid.NewGuid()), PortalBase, default);
        started.Problem.ShouldBeNull();
        return started.Attempt!;
    }

    /// <summary>What the customer's "Complete" in the hosted page does.</summary>
    private async Task CompleteAsync(string sessionId)
    {
        var session = await factory.Services.GetRequiredService<GateClient>().GetSessionAsync(sessionId, default);
        var token = await EmbedTests.BootstrapAsync(factory.Sandbox, session.Value.ClientSecret!);
        using var embed = EmbedTests.EmbedClient(factory.Sandbox, token);
        using var complete = await embed.PostAsync("/v1/embed/session/complete", null);
        complete.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private async Task<CancelSessionResult> CancelAsync(string attemptId, StaffMember staff, string reason)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SupportCanceller>().CancelSessionAsync(attemptId, staff, reason, default);
    }
}

public sealed class SupportActionsHostTestsOnSqlite(SandboxPortalAppFactory factory) : SupportActionsHostTests<SandboxPortalAppFactory>(factory);

public sealed class SupportActionsHostTestsOnPostgreSql(PostgresSandboxPortalAppFactory factory) : SupportActionsHostTests<PostgresSandboxPortalAppFactory>(factory);
