using Portal.Core.Attempts;
using Portal.Core.Checkout;
using Portal.Core.Gate;
using Portal.Core.Reads;
using Portal.Core.Records;

namespace Portal.Core.StaffActions;

/// <summary>
/// Support's "Cancel session": cancels an open attempt's 0Gate session (<c>POST /v1/gate_sessions/{id}/cancel</c>)
/// through the same path as the customer's own cancel (<see cref="CheckoutService.CancelSessionAsync"/>, so the
/// resulting state is applied by <see cref="AttemptWriter"/> from 0Gate's trusted answer), with a required reason that
/// goes on the timeline and into the audit entry written with the change.
/// </summary>
public sealed class SupportCanceller(
    SupportAttempts support,
    CheckoutService checkout,
    AttemptWriter attempts,
    Limits.UserActionLimits limits,
    TimeProvider time,
    ILogger<SupportCanceller> logger)
{
    public const int ReasonMaxLength = 300;

    /// <summary>Only an open attempt with a 0Gate session has something to cancel at 0Gate.</summary>
    public static bool CanCancel(CheckoutAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return !attempt.IsTerminal && attempt.GateSessionId is not null;
    }

    public async Task<CancelSessionResult> CancelSessionAsync(string attemptId, StaffMember staff, string? reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        var why = reason?.Trim();
        if (string.IsNullOrEmpty(why) || why.Length > ReasonMaxLength)
        {
            return new(CancelSessionOutcome.ReasonRequired, $"Say why the session is cancelled (up to {ReasonMaxLength} characters); it is kept in the audit log.", null);
        }

        var attempt = await support.GetAsync(attemptId, cancellationToken);
        if (attempt is null)
        {
            return new(CancelSessionOutcome.NotFound, "No attempt found with that id.", null);
        }

        if (!CanCancel(attempt))
        {
            var whyNot = attempt.GateSessionId is null
                ? "This attempt has no 0Gate session, so there is nothing to cancel at 0Gate."
                : $"This attempt is already {attempt.Status.ToWire()}; only an open attempt's session can be cancelled.";
            return new(CancelSessionOutcome.NotApplicable, whyNot, attempt);
        }

        // A cancel is a call to 0Gate like a reconcile: the same per-person limit covers both.
        if (!limits.TryReconcile(staff.Key))
        {
            return new(CancelSessionOutcome.RateLimited, "You have asked 0Gate for many changes in the last minute. Wait a moment, then try again; nothing was sent.", attempt);
        }

        try
        {
            var after = await checkout.CancelSessionAsync(attempt, $"by {staff.DisplayName} in support", cancellationToken, audit: change =>
            {
                change.Attempt.Record(new TimelineEntry(change.Attempt.Id, TimelineKind.Note,
                    $"Session cancel by {staff.DisplayName}: {why} ({change.Before.ToWire()} → {change.Attempt.Status.ToWire()})", change.At));
                return new AuditEntry(staff, AuditAction.CancelSession, change.Attempt.Id,
                    change.StatusChanged ? AuditResult.Changed : AuditResult.Unchanged, SupportReconciler.Describe(change), change.At, reason: why,
                    gateRequestId: change.GateRequestId(), before: change.Before.ToWire(), after: change.Attempt.Status.ToWire());
            }) ?? attempt;

            return after.Status switch
            {
                // 0Gate accepted the cancel. Its own "cancelled" event may have closed the attempt a moment before this
                // request's read of the session did: the outcome is still this request's doing.
                AttemptStatus.Cancelled when attempt.Status != AttemptStatus.Cancelled =>
                    new(CancelSessionOutcome.Cancelled, "0Gate cancelled the session; the attempt is now cancelled.", after),
                _ when after.IsTerminal =>
                    new(CancelSessionOutcome.ClosedOtherwise, $"0Gate had already closed the session: the attempt is now {after.Status.ToWire()}, as 0Gate reports.", after),
                _ => new(CancelSessionOutcome.Unchanged, $"0Gate answered, but the attempt stays {after.Status.ToWire()}. The timeline shows what 0Gate said.", after),
            };
        }
        catch (GateApiException ex)
        {
            logger.LogWarning("Support cancel of {AttemptId} failed: {Status} {Code} (request {RequestId})", attempt.Id, (int?)ex.Status, ex.Code, ex.RequestId);
            var reference = ex.RequestId is null ? string.Empty : $" (0Gate request {ex.RequestId})";
            var failure = $"0Gate {(ex.IsTransient ? "unavailable" : "refused")} {ex.Code}".TrimEnd();
            var now = time.GetUtcNow();
            await attempts.RecordAsync(
                new TimelineEntry(attempt.Id, TimelineKind.Note, $"Session cancel by {staff.DisplayName} failed: {failure}", now) { GateRequestId = ex.RequestId },
                cancellationToken,
                new AuditEntry(staff, AuditAction.CancelSession, attempt.Id, AuditResult.Failed, failure + reference, now, reason: why, gateRequestId: ex.RequestId));
            return new(CancelSessionOutcome.GateUnavailable, ex.IsTransient
                ? $"0Gate could not be reached just now, so nothing changed. Try again in a moment.{reference}"
                : $"0Gate refused ({ex.Code ?? "error"}), so nothing changed.{reference}", attempt);
        }
    }
}
