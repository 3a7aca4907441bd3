using Portal.Core.Attempts;
using Portal.Core.Checkout;
using Portal.Core.Gate;
using Portal.Core.Reads;
using Portal.Core.Records;

namespace Portal.Core.StaffActions;

/// <summary>
/// Support's "Reconcile": read the 0Gate session server-side through <see cref="CheckoutService.ReconcileAsync"/>
/// (which applies a terminal state with a conditional update) and note on the timeline who asked, with the audit entry,
/// in the same transaction as the change. A 0Gate outage becomes a result (and an audit entry), never an exception for
/// the page.
/// </summary>
public sealed class SupportReconciler(
    SupportAttempts support,
    CheckoutService checkout,
    AttemptWriter attempts,
    Limits.UserActionLimits limits,
    TimeProvider time,
    ILogger<SupportReconciler> logger)
{
    public async Task<ReconcileResult> ReconcileAsync(string attemptId, StaffMember staff, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        var before = await support.GetAsync(attemptId, cancellationToken);
        if (before is null)
        {
            return new(ReconcileOutcome.NotFound, "No attempt found with that id.", null);
        }

        if (NotApplicable(before) is { } notApplicable)
        {
            return notApplicable;
        }

        if (!limits.TryReconcile(staff.Key))
        {
            return new(ReconcileOutcome.RateLimited, "You have reconciled many attempts in the last minute. Wait a moment, then try again; nothing was read.", before);
        }

        return await ReadAndApplyAsync(before, staff, runId: null, cancellationToken);
    }

    /// <summary>
    /// One attempt of a bulk run (<see cref="BulkReconciler"/>), which paces its own reads: no per-person limit here, and
    /// only an attempt that changes gets an audit entry of its own (the run's entry counts the rest).
    /// </summary>
    internal async Task<ReconcileResult> ReconcileForRunAsync(string attemptId, StaffMember staff, string runId, CancellationToken cancellationToken)
    {
        var before = await support.GetAsync(attemptId, cancellationToken);
        if (before is null)
        {
            return new(ReconcileOutcome.NotFound, "No attempt found with that id.", null);
        }

        return NotApplicable(before) ?? await ReadAndApplyAsync(before, staff, runId, cancellationToken);
    }

    private static ReconcileResult? NotApplicable(CheckoutAttempt attempt)
    {
        if (attempt.GateSessionId is null)
        {
            return new(ReconcileOutcome.NotApplicable, "This attempt has no 0Gate session, so there is nothing to read at 0Gate.", attempt);
        }

        return attempt.IsTerminal && !attempt.NeedsReview
            ? new(ReconcileOutcome.NotApplicable, $"This attempt is already {attempt.Status.ToWire()} and not flagged for review.", attempt)
            : null;
    }

    private async Task<ReconcileResult> ReadAndApplyAsync(CheckoutAttempt before, StaffMember staff, string? runId, CancellationToken cancellationToken)
    {
        var who = runId is null ? staff.DisplayName : $"{staff.DisplayName} (bulk run {runId})";
        try
        {
            var requestedBy = runId is null ? $"requested by {staff.DisplayName} in support" : $"bulk run {runId} by {staff.DisplayName}";
            var after = await checkout.ReconcileAsync(before, requestedBy, cancellationToken, audit: change =>
            {
                change.Attempt.Record(new TimelineEntry(change.Attempt.Id, TimelineKind.Note,
                    $"Reconciled by {who}: {change.Before.ToWire()} → {change.Attempt.Status.ToWire()}", change.At));
                return runId is not null && !change.StatusChanged
                    ? null
                    : new AuditEntry(staff, AuditAction.Reconcile, change.Attempt.Id, change.StatusChanged ? AuditResult.Changed : AuditResult.Unchanged,
                        Describe(change), change.At, runId: runId, gateRequestId: change.GateRequestId(),
                        before: change.Before.ToWire(), after: change.Attempt.Status.ToWire());
            }) ?? before;
            var moved = after.Status != before.Status;
            var message = moved
                ? $"0Gate's session moved the attempt from {before.Status.ToWire()} to {after.Status.ToWire()}."
                : after.IsTerminal
                    ? $"0Gate was read; the attempt stays {after.Status.ToWire()} (a closed attempt never changes). The timeline shows what 0Gate reported."
                    : $"0Gate was read; the session is still open, so the attempt stays {after.Status.ToWire()}.";
            return new(moved ? ReconcileOutcome.Moved : ReconcileOutcome.Unchanged, message, after);
        }
        catch (GateApiException ex)
        {
            logger.LogWarning("Support reconcile of {AttemptId} failed: {Status} {Code} (request {RequestId})", before.Id, (int?)ex.Status, ex.Code, ex.RequestId);
            var transient = ex.IsTransient;
            var reference = ex.RequestId is null ? string.Empty : $" (0Gate request {ex.RequestId})";
            var failure = $"0Gate {(transient ? "unavailable" : "refused")} {ex.Code}".TrimEnd();
            var now = time.GetUtcNow();
            await attempts.RecordAsync(
                new TimelineEntry(before.Id, TimelineKind.Note, $"Reconcile by {who} failed: {failure}", now) { GateRequestId = ex.RequestId },
                cancellationToken,
                audit: runId is null ? new AuditEntry(staff, AuditAction.Reconcile, before.Id, AuditResult.Failed, failure + reference, now, gateRequestId: ex.RequestId) : null);
            return transient
                ? new(ReconcileOutcome.GateUnavailable, $"0Gate could not be reached just now, so nothing changed. Try again in a moment.{reference}", before)
                : new(ReconcileOutcome.GateRefused, $"0Gate refused to read this session ({ex.Code ?? "error"}), so nothing changed.{reference}", before);
        }
    }

    /// <summary>"requires_action → fulfilled · 0Gate session read (…): completed" for the audit log.</summary>
    internal static string Describe(StaffChange change)
    {
        var states = change.StatusChanged
            ? $"{change.Before.ToWire()} → {change.Attempt.Status.ToWire()}"
            : $"stays {change.Attempt.Status.ToWire()}";
        return change.GateSaid is null ? states : $"{states} · {change.GateSaid}";
    }
}
