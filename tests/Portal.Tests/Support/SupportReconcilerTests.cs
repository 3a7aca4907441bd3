using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Portal.Core.Attempts;
using Portal.Core.Checkout;
using Portal.Core.Gate;
using Portal.Core.Persistence;
using Portal.Core.Reads;
using Portal.Core.Records;
using Portal.Core.StaffActions;
using Portal.Tests.Sandbox;


namespace Portal.Tests.Support;

/// <summary>Support's "Reconcile" against a real 0Gate sandbox on a loopback port, and against 0Gate being down.</summary>
public abstract class SupportReconcilerTests
{
    /// <summary>The store these tests run on; each runs on SQLite and on PostgreSQL.</summary>
    protected abstract StoreProvider Provider { get; }

    private static readonly Uri PortalBase = new("http://localhost:5080/");

    [Fact]
    public async Task A_stuck_attempt_whose_session_completed_is_moved_to_fulfilled_and_the_note_names_the_agent()
    {
        await using var sandbox = await SandboxTestHost.StartAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var core = await CoreHarness.StartAsync(time, sandbox.BaseAddress, SandboxTestHost.SecretKey, SandboxTestHost.PublishableKey, provider: Provider);
        var attempt = await OpenSessionAsync(core);
        await CompleteInHostedPageAsync(core, sandbox, attempt.GateSessionId!);

        // No webhook reaches this portal (the sandbox partner has no webhook URL): the attempt sits in requires_action.
        time.Advance(TimeSpan.FromMinutes(31));
        (await core.Get<SupportViews>().AbandonedAsync(default)).ShouldContain(a => a.Id == attempt.Id);

        var result = await ReconcileAsync(core, attempt.Id, "Sam");

        result.Outcome.ShouldBe(ReconcileOutcome.Moved);
        result.Message.ShouldContain("requires_action to fulfilled");
        var detail = (await core.Get<AttemptDetails>().GetDetailAsync(attempt.Id, default))!;
        detail.Attempt.Status.ShouldBe(AttemptStatus.Fulfilled);
        detail.Attempt.TxRefId.ShouldStartWith("tx_");
        detail.Timeline.ShouldContain(e => e.Kind == TimelineKind.Note && e.Summary == "Reconciled by Sam: requires_action → fulfilled");
        detail.Timeline.ShouldContain(e => e.Kind == TimelineKind.GateRequest && e.Summary.Contains("requested by Sam in support") && e.GateRequestId!.StartsWith("req_"));
        (await core.Get<SupportViews>().AbandonedAsync(default)).ShouldBeEmpty();
    }

    [Fact]
    public async Task An_open_session_leaves_the_attempt_as_it_is()
    {
        await using var sandbox = await SandboxTestHost.StartAsync();
        await using var core = await CoreHarness.StartAsync(gateBaseUrl: sandbox.BaseAddress, secretKey: SandboxTestHost.SecretKey, publishableKey: SandboxTestHost.PublishableKey, provider: Provider);
        var attempt = await OpenSessionAsync(core);

        var result = await ReconcileAsync(core, attempt.Id, "Sam");

        result.Outcome.ShouldBe(ReconcileOutcome.Unchanged);
        result.Attempt!.Status.ShouldBe(AttemptStatus.RequiresAction);
        result.Message.ShouldContain("still open");
    }

    [Fact]
    public async Task A_flagged_closed_attempt_can_be_rechecked_but_never_changes()
    {
        await using var sandbox = await SandboxTestHost.StartAsync();
        await using var core = await CoreHarness.StartAsync(gateBaseUrl: sandbox.BaseAddress, secretKey: SandboxTestHost.SecretKey, publishableKey: SandboxTestHost.PublishableKey, provider: Provider);
        var attempt = await OpenSessionAsync(core);
        await CompleteInHostedPageAsync(core, sandbox, attempt.GateSessionId!);
        await core.CloseAsync(attempt.Id, AttemptStatus.Failed);
        await core.FlagForReviewAsync(attempt.Id);

        var result = await ReconcileAsync(core, attempt.Id, "Sam");

        result.Outcome.ShouldBe(ReconcileOutcome.Unchanged);
        result.Attempt!.Status.ShouldBe(AttemptStatus.Failed);
        result.Message.ShouldContain("never changes");
        var timeline = await core.Get<AttemptReads>().GetTimelineAsync(attempt.Id, default);
        timeline.ShouldContain(e => e.Kind == TimelineKind.GateRequest && e.Summary.EndsWith(": completed")); // what 0Gate says, for the agent to compare
    }

    [Fact]
    public async Task When_0Gate_is_down_nothing_changes_and_the_agent_gets_a_clear_message()
    {
        await using var core = await CoreHarness.StartAsync(provider: Provider); // 0Gate at a closed loopback port
        var attempt = await core.AttemptAsync(sessionId: "gs_unreachable");

        var result = await ReconcileAsync(core, attempt.Id, "Sam");

        result.Outcome.ShouldBe(ReconcileOutcome.GateUnavailable);
        result.Failed.ShouldBeTrue();
        result.Message.ShouldContain("0Gate could not be reached");
        (await core.Get<AttemptReads>().GetAsync(attempt.Id, default))!.Status.ShouldBe(AttemptStatus.RequiresAction);
        (await core.Get<AttemptReads>().GetTimelineAsync(attempt.Id, default))
            .ShouldContain(e => e.Kind == TimelineKind.Note && e.Summary.StartsWith("Reconcile by Sam failed: 0Gate unavailable"));
    }

    [Fact]
    public async Task Attempts_without_a_session_or_unknown_ids_are_not_sent_to_0Gate()
    {
        await using var core = await CoreHarness.StartAsync(provider: Provider);
        var noSession = await core.AttemptAsync();

        (await ReconcileAsync(core, noSession.Id, "Sam")).Outcome.ShouldBe(ReconcileOutcome.NotApplicable);
        (await ReconcileAsync(core, AttemptId.New(), "Sam")).Outcome.ShouldBe(ReconcileOutcome.NotFound);
        (await core.Get<AttemptReads>().GetTimelineAsync(noSession.Id, default)).ShouldNotContain(e => e.Kind == TimelineKind.GateRequest);
    }

    private static async Task<ReconcileResult> ReconcileAsync(CoreHarness core, string attemptId, string staff)
    {
        await using var scope = core.Scope();
        var member = new StaffMember(staff.ToLowerInvariant(), staff, "support");
        return await scope.ServiceProvider.GetRequiredService<SupportReconciler>().ReconcileAsync(attemptId, member, default);
    }

    private static async Task<CheckoutAttempt> OpenSessionAsync(CoreHarness core)
    {
        var attempt = await core.AttemptAsync();
        await using var scope = core.Scope();
        var started = await scope.ServiceProvider.GetRequiredService<CheckoutService>().OpenSessionAsync(attempt, PortalBase, default);
        started.Problem.ShouldBeNull();
        started.Attempt!.Status.ShouldBe(AttemptStatus.RequiresAction);
        return started.Attempt;
    }

    /// <summary>What the customer's "Complete" click in the hosted page does: bootstrap with the client secret, then complete.</summary>
    internal static async Task CompleteInHostedPageAsync(CoreHarness core, SandboxTestHost sandbox, string sessionId)
    {
        var session = await core.Get<GateClient>().GetSessionAsync(sessionId, default);
        var token = await EmbedTests.BootstrapAsync(sandbox, session.Value.ClientSecret!);
        using var embed = EmbedTests.EmbedClient(sandbox, token);
        using var complete = await embed.PostAsync("/v1/embed/session/complete", null);
        complete.StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}

public sealed class SupportReconcilerTestsOnSqlite : SupportReconcilerTests
{
    protected override StoreProvider Provider => StoreProvider.Sqlite;
}

public sealed class SupportReconcilerTestsOnPostgreSql : SupportReconcilerTests
{
    protected override StoreProvider Provider => StoreProvider.PostgreSql;
}
