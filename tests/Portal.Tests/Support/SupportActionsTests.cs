using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Attempts;
using Portal.Core.Audit;
using Portal.Core.Checkout;
using Portal.Core.Persistence;
using Portal.Core.Reads;
using Portal.Core.Records;
using Portal.Core.StaffActions;
using Portal.Tests.Sandbox;

namespace Portal.Tests.Support;

/// <summary>
/// Support's actions against a real 0Gate sandbox (and 0Gate down), on each store: what reaches 0Gate, what the attempt
/// becomes, and the audit entry and timeline note written with it.
/// </summary>
public abstract class SupportActionsTests
{
    protected abstract StoreProvider Provider { get; }

    private static readonly Uri PortalBase = new("https://portal.example/");

    [Fact]
    public async Task A_started_checkout_keeps_the_environment_and_the_urls_and_user_reference_0Gate_was_given()
    {
        await using var sandbox = await StartSandboxAsync();
        await using var core = await SandboxCoreAsync(sandbox);

        var attempt = await OpenSessionAsync(core);

        attempt.GateEnvironment.ShouldBe("test");
        attempt.ReturnUrl.ShouldBe($"https://portal.example/checkout/{attempt.Id}/return");
        attempt.CancelUrl.ShouldBe($"https://portal.example/checkout/{attempt.Id}/cancel");
        var session = await sandbox.Client.GetFromJsonAsync<JsonElement>($"/v1/gate_sessions/{attempt.GateSessionId}");
        session.GetProperty("return_url").GetString().ShouldBe(attempt.ReturnUrl);
        session.GetProperty("cancel_url").GetString().ShouldBe(attempt.CancelUrl);
        session.GetProperty("user_reference").GetString().ShouldBe(attempt.UserReference);
        attempt.UserReference.ShouldBe(attempt.Id);
    }

    [Fact]
    public async Task Cancel_session_cancels_at_0Gate_and_closes_the_attempt_once_with_the_reason_audited()
    {
        await using var sandbox = await StartSandboxAsync();
        await using var core = await SandboxCoreAsync(sandbox);
        var attempt = await OpenSessionAsync(core);

        var first = await CancelAsync(core, attempt.Id, Staff.Sam, "Customer asked by phone");
        var second = await CancelAsync(core, attempt.Id, Staff.Ada, "Double click");

        first.Outcome.ShouldBe(CancelSessionOutcome.Cancelled);
        first.Attempt!.Status.ShouldBe(AttemptStatus.Cancelled);
        first.Attempt.ClosedBy.ShouldBe(AttemptCloser.CancelResponse);
        second.Outcome.ShouldBe(CancelSessionOutcome.NotApplicable); // closed: nothing is sent to 0Gate again
        var session = await sandbox.Client.GetFromJsonAsync<JsonElement>($"/v1/gate_sessions/{attempt.GateSessionId}");
        session.GetProperty("status").GetString().ShouldBe("cancelled");
        var timeline = await core.Get<AttemptReads>().GetTimelineAsync(attempt.Id, default);
        timeline.Count(e => e.ToStatus == AttemptStatus.Cancelled).ShouldBe(1);
        timeline.ShouldContain(e => e.Kind == TimelineKind.GateRequest && e.Summary == "0Gate session cancelled by Sam in support: cancelled" && e.GateRequestId!.StartsWith("req_"));
        timeline.ShouldContain(e => e.Kind == TimelineKind.Note && e.Summary == "Session cancel by Sam: Customer asked by phone (requires_action → cancelled)");
        var entry = (await core.Get<AuditLog>().ForAttemptAsync(attempt.Id, default)).ShouldHaveSingleItem();
        (entry.Action, entry.Result, entry.ActorSubject, entry.ActorRole, entry.Reason).ShouldBe(
            (AuditAction.CancelSession, AuditResult.Changed, "sam", "support", "Customer asked by phone"));
        entry.Detail.ShouldBe("requires_action → cancelled · 0Gate session cancelled by Sam in support: cancelled");
    }

    [Fact]
    public async Task A_session_0Gate_already_completed_is_not_cancelled_and_the_attempt_follows_0Gate()
    {
        await using var sandbox = await StartSandboxAsync();
        await using var core = await SandboxCoreAsync(sandbox);
        var attempt = await OpenSessionAsync(core);
        await SupportReconcilerTests.CompleteInHostedPageAsync(core, sandbox, attempt.GateSessionId!);

        var result = await CancelAsync(core, attempt.Id, Staff.Sam, "Customer says it hangs");

        result.Outcome.ShouldBe(CancelSessionOutcome.ClosedOtherwise);
        result.Attempt!.Status.ShouldBe(AttemptStatus.Fulfilled);
        var entry = (await core.Get<AuditLog>().ForAttemptAsync(attempt.Id, default)).ShouldHaveSingleItem();
        (entry.Action, entry.Result).ShouldBe((AuditAction.CancelSession, AuditResult.Changed));
        entry.Detail.ShouldContain("requires_action → fulfilled");
        entry.Detail.ShouldContain("after a refused cancel");
    }

    [Fact]
    public async Task Cancel_needs_a_reason_and_an_open_attempt_with_a_session()
    {
        await using var core = await CoreHarness.StartAsync(provider: Provider);
        var noSession = await core.AttemptAsync();
        var closed = await core.AttemptAsync(sessionId: "gs_closed_cancel");
        await core.CloseAsync(closed.Id, AttemptStatus.Expired);

        (await CancelAsync(core, noSession.Id, Staff.Sam, "   ")).Outcome.ShouldBe(CancelSessionOutcome.ReasonRequired);
        (await CancelAsync(core, noSession.Id, Staff.Sam, new string('x', SupportCanceller.ReasonMaxLength + 1))).Outcome.ShouldBe(CancelSessionOutcome.ReasonRequired);
        (await CancelAsync(core, noSession.Id, Staff.Sam, "why not")).Outcome.ShouldBe(CancelSessionOutcome.NotApplicable);
        (await CancelAsync(core, closed.Id, Staff.Sam, "why not")).Outcome.ShouldBe(CancelSessionOutcome.NotApplicable);
        (await CancelAsync(core, AttemptId.New(), Staff.Sam, "why not")).Outcome.ShouldBe(CancelSessionOutcome.NotFound);
        (await core.Get<AuditLog>().QueryAsync(new AuditFilter(), 0, 10, default)).Total.ShouldBe(0); // nothing was done
    }

    [Fact]
    public async Task When_0Gate_is_down_a_cancel_changes_nothing_and_the_failure_is_audited()
    {
        await using var core = await CoreHarness.StartAsync(provider: Provider); // 0Gate at a closed port
        var attempt = await core.AttemptAsync(sessionId: "gs_cancel_down");

        var result = await CancelAsync(core, attempt.Id, Staff.Sam, "Customer asked");

        result.Outcome.ShouldBe(CancelSessionOutcome.GateUnavailable);
        result.Message.ShouldContain("0Gate could not be reached");
        (await core.Get<AttemptReads>().GetAsync(attempt.Id, default))!.Status.ShouldBe(AttemptStatus.RequiresAction);
        var entry = (await core.Get<AuditLog>().ForAttemptAsync(attempt.Id, default)).ShouldHaveSingleItem();
        (entry.Action, entry.Result, entry.Reason).ShouldBe((AuditAction.CancelSession, AuditResult.Failed, "Customer asked"));
        (await core.Get<AttemptReads>().GetTimelineAsync(attempt.Id, default))
            .ShouldContain(e => e.Kind == TimelineKind.Note && e.Summary.StartsWith("Session cancel by Sam failed: 0Gate unavailable", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reconcile_is_audited_with_the_change_and_a_failed_read_is_audited_as_failed()
    {
        await using var sandbox = await StartSandboxAsync();
        await using var core = await SandboxCoreAsync(sandbox);
        var attempt = await OpenSessionAsync(core);
        await SupportReconcilerTests.CompleteInHostedPageAsync(core, sandbox, attempt.GateSessionId!);

        await ReconcileAsync(core, attempt.Id);

        var moved = (await core.Get<AuditLog>().ForAttemptAsync(attempt.Id, default)).ShouldHaveSingleItem();
        (moved.Action, moved.Result, moved.ActorName).ShouldBe((AuditAction.Reconcile, AuditResult.Changed, "Sam"));
        moved.Detail.ShouldStartWith("requires_action → fulfilled · 0Gate session read (requested by Sam in support): completed");

        await using var down = await CoreHarness.StartAsync(provider: Provider);
        var stuck = await down.AttemptAsync(sessionId: "gs_reconcile_down");
        (await ReconcileAsync(down, stuck.Id)).Outcome.ShouldBe(ReconcileOutcome.GateUnavailable);
        var failed = (await down.Get<AuditLog>().ForAttemptAsync(stuck.Id, default)).ShouldHaveSingleItem();
        (failed.Action, failed.Result).ShouldBe((AuditAction.Reconcile, AuditResult.Failed));
        failed.Detail.ShouldStartWith("0Gate unavailable");
    }

    [Fact]
    public async Task Resolving_a_review_is_audited_each_time_it_is_asked()
    {
        await using var core = await CoreHarness.StartAsync(provider: Provider);
        var attempt = await core.AttemptAsync(sessionId: "gs_review_audit");
        await core.FlagForReviewAsync(attempt.Id);
        var support = core.Get<ReviewResolver>();

        (await support.ResolveReviewAsync(attempt.Id, Staff.Sam, "   ", default)).ShouldBe(ResolveReviewOutcome.NoteRequired);
        (await support.ResolveReviewAsync(attempt.Id, Staff.Sam, "0Gate confirms the close", default)).ShouldBe(ResolveReviewOutcome.Resolved);
        (await support.ResolveReviewAsync(attempt.Id, Staff.Ada, "looked again", default)).ShouldBe(ResolveReviewOutcome.AlreadyResolved);

        var entries = await core.Get<AuditLog>().ForAttemptAsync(attempt.Id, default);
        entries.Select(e => (e.ActorSubject, e.Action, e.Result, e.Reason)).ShouldBe(
        [
            ("ada", AuditAction.ResolveReview, AuditResult.Unchanged, "looked again"),
            ("sam", AuditAction.ResolveReview, AuditResult.Changed, "0Gate confirms the close"),
        ]);
    }

    /// <summary>A sandbox whose partner allows the portal's origin to embed the hosted page (a start checks it first).</summary>
    private static Task<SandboxTestHost> StartSandboxAsync() =>
        SandboxTestHost.StartAsync(new Dictionary<string, string?> { ["Sandbox:Partner:AllowedDomains:1"] = "https://portal.example" });

    private Task<CoreHarness> SandboxCoreAsync(SandboxTestHost sandbox) =>
        CoreHarness.StartAsync(gateBaseUrl: sandbox.BaseAddress, secretKey: SandboxTestHost.SecretKey, publishableKey: SandboxTestHost.PublishableKey, provider: Provider);

    private static async Task<CheckoutAttempt> OpenSessionAsync(CoreHarness core)
    {
        await using var scope = core.Scope();
        var started = await scope.ServiceProvider.GetRequiredService<CheckoutService>()
            .StartAsync("acct_actions", new StartCheckout(CheckoutFlow.OnRamp, "25", "EUR", "USDC", "polygon", null, Guid.NewGuid()), PortalBase, default);
        started.Problem.ShouldBeNull();
        started.Attempt!.Status.ShouldBe(AttemptStatus.RequiresAction);
        return started.Attempt;
    }

    private static async Task<CancelSessionResult> CancelAsync(CoreHarness core, string attemptId, StaffMember staff, string reason)
    {
        await using var scope = core.Scope();
        return await scope.ServiceProvider.GetRequiredService<SupportCanceller>().CancelSessionAsync(attemptId, staff, reason, default);
    }

    private static async Task<ReconcileResult> ReconcileAsync(CoreHarness core, string attemptId)
    {
        await using var scope = core.Scope();
        return await scope.ServiceProvider.GetRequiredService<SupportReconciler>().ReconcileAsync(attemptId, Staff.Sam, default);
    }
}

public sealed class SupportActionsTestsOnSqlite : SupportActionsTests
{
    protected override StoreProvider Provider => StoreProvider.Sqlite;
}

public sealed class SupportActionsTestsOnPostgreSql : SupportActionsTests
{
    protected override StoreProvider Provider => StoreProvider.PostgreSql;
}
