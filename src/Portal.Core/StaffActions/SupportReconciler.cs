using Portal.Core.Attempts;
using Portal.Core.Checkout;
using Portal.Core.Gate;
using Portal.Core.Limits;
using Portal.Core.Reads;
using Portal.Core.Records;

namespace Portal.Core.StaffActions;

/// <summary>
/// Support's "Reconcile": read the 0Gate session server-side through <see cref="CheckoutService.ReconcileAsync"/>
/// (which applies a terminal state with a conditional update), as a <see cref="StaffAction{TResult}"/>.
/// </summary>
public sealed class SupportReconciler(
    AttemptDetails attempts,
    CheckoutService checkout,
    AttemptWriter writer,
    UserActionLimits limits,
    TimeProvider time,
    ILogger<SupportReconciler> logger) : StaffAction<ReconcileResult>(attempts, writer, limits, time, logger)
{
    protected override AuditAction Action => AuditAction.Reconcile;

    protected override string Name => "Reconcile";

    public Task<ReconcileResult> ReconcileAsync(string attemptId, StaffMember staff, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        return RunAsync(attemptId, new StaffRequest(staff), cancellationToken);
    }

    /// <summary>
    /// One attempt of a bulk run (<see cref="BulkReconciler"/>), which paces its own reads: no per-person limit here, and
    /// only an attempt that changes gets an audit entry of its own (the run's entry counts the rest).
    /// </summary>
    internal Task<ReconcileResult> ReconcileForRunAsync(string attemptId, StaffMember staff, string runId, CancellationToken cancellationToken) =>
        RunAsync(attemptId, new StaffRequest(staff, RunId: runId), cancellationToken);

    protected override ReconcileResult NotFound() => new(ReconcileOutcome.NotFound, "No attempt found with that id.", null);

    protected override ReconcileResult? NotApplicable(CheckoutAttempt attempt)
    {
        if (attempt.GateSessionId is null)
        {
            return new(ReconcileOutcome.NotApplicable, "This attempt has no 0Gate session, so there is nothing to read at 0Gate.", attempt);
        }

        return StaffActionRules.CanReconcile(attempt)
            ? null
            : new(ReconcileOutcome.NotApplicable, $"This attempt is already {attempt.Status.ToWire()} and not flagged for review.", attempt);
    }

    protected override ReconcileResult RateLimited(CheckoutAttempt attempt) =>
        new(ReconcileOutcome.RateLimited, "You have reconciled many attempts in the last minute. Wait a moment, then try again; nothing was read.", attempt);

    protected override async Task<ReconcileResult> ApplyAsync(CheckoutAttempt before, StaffRequest request, StaffAudit audit, CancellationToken cancellationToken)
    {
        var requestedBy = request.RunId is null ? $"requested by {request.Staff.DisplayName} in support" : $"bulk run {request.RunId} by {request.Staff.DisplayName}";
        var after = await checkout.ReconcileAsync(before, requestedBy, cancellationToken, audit: audit) ?? before;
        var moved = after.Status != before.Status;
        var message = moved
            ? $"0Gate's session moved the attempt from {before.Status.ToWire()} to {after.Status.ToWire()}."
            : after.IsTerminal
                ? $"0Gate was read; the attempt stays {after.Status.ToWire()} (a closed attempt never changes). The timeline shows what 0Gate reported."
                : $"0Gate was read; the session is still open, so the attempt stays {after.Status.ToWire()}.";
        return new(moved ? ReconcileOutcome.Moved : ReconcileOutcome.Unchanged, message, after);
    }

    protected override ReconcileResult GateFailed(CheckoutAttempt before, GateApiException failure, string reference) => failure.IsTransient
        ? new(ReconcileOutcome.GateUnavailable, $"0Gate could not be reached just now, so nothing changed. Try again in a moment.{reference}", before)
        : new(ReconcileOutcome.GateRefused, $"0Gate refused to read this session ({failure.Code ?? "error"}), so nothing changed.{reference}", before);

    protected override string Note(StaffChange change, StaffRequest request) =>
        $"Reconciled by {request.Who}: {change.Before.ToWire()} → {change.Attempt.Status.ToWire()}";
}
