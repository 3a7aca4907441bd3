using Portal.Core.Attempts;
using Portal.Core.Checkout;
using Portal.Core.Gate;
using Portal.Core.Limits;
using Portal.Core.Reads;
using Portal.Core.Records;

namespace Portal.Core.StaffActions;

/// <summary>
/// Support's "Cancel session": cancels an open attempt's 0Gate session (<c>POST /v1/gate_sessions/{id}/cancel</c>)
/// through the same path as the customer's own cancel (<see cref="CheckoutService.CancelSessionAsync"/>, so the
/// resulting state is applied by <see cref="AttemptWriter"/> from 0Gate's trusted answer), as a
/// <see cref="StaffAction{TResult}"/> with a required reason that goes on the timeline and into the audit entry.
/// </summary>
public sealed class SupportCanceller(
    AttemptDetails attempts,
    CheckoutService checkout,
    AttemptWriter writer,
    UserActionLimits limits,
    TimeProvider time,
    ILogger<SupportCanceller> logger) : StaffAction<CancelSessionResult>(attempts, writer, limits, time, logger)
{
    public const int ReasonMaxLength = 300;

    protected override AuditAction Action => AuditAction.CancelSession;

    protected override string Name => "Session cancel";

    protected override string LogName => "cancel";

    public Task<CancelSessionResult> CancelSessionAsync(string attemptId, StaffMember staff, string? reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        return RunAsync(attemptId, new StaffRequest(staff, Reason: reason?.Trim()), cancellationToken);
    }

    protected override CancelSessionResult? Refuse(StaffRequest request) =>
        string.IsNullOrEmpty(request.Reason) || request.Reason.Length > ReasonMaxLength
            ? new(CancelSessionOutcome.ReasonRequired, $"Say why the session is cancelled (up to {ReasonMaxLength} characters); it is kept in the audit log.", null)
            : null;

    protected override CancelSessionResult NotFound() => new(CancelSessionOutcome.NotFound, "No attempt found with that id.", null);

    protected override CancelSessionResult? NotApplicable(CheckoutAttempt attempt)
    {
        if (StaffActionRules.CanCancelSession(attempt))
        {
            return null;
        }

        var whyNot = attempt.GateSessionId is null
            ? "This attempt has no 0Gate session, so there is nothing to cancel at 0Gate."
            : $"This attempt is already {attempt.Status.ToWire()}; only an open attempt's session can be cancelled.";
        return new(CancelSessionOutcome.NotApplicable, whyNot, attempt);
    }

    // A cancel is a call to 0Gate like a reconcile: the same per-person limit covers both.
    protected override CancelSessionResult RateLimited(CheckoutAttempt attempt) =>
        new(CancelSessionOutcome.RateLimited, "You have asked 0Gate for many changes in the last minute. Wait a moment, then try again; nothing was sent.", attempt);

    protected override async Task<CancelSessionResult> ApplyAsync(CheckoutAttempt before, StaffRequest request, StaffAudit audit, CancellationToken cancellationToken)
    {
        var after = await checkout.CancelSessionAsync(before, $"by {request.Staff.DisplayName} in support", cancellationToken, audit: audit) ?? before;
        return after.Status switch
        {
            // 0Gate accepted the cancel. Its own "cancelled" event may have closed the attempt a moment before this
            // request's read of the session did: the outcome is still this request's doing.
            AttemptStatus.Cancelled when before.Status != AttemptStatus.Cancelled =>
                new(CancelSessionOutcome.Cancelled, "0Gate cancelled the session; the attempt is now cancelled.", after),
            _ when after.IsTerminal =>
                new(CancelSessionOutcome.ClosedOtherwise, $"0Gate had already closed the session: the attempt is now {after.Status.ToWire()}, as 0Gate reports.", after),
            _ => new(CancelSessionOutcome.Unchanged, $"0Gate answered, but the attempt stays {after.Status.ToWire()}. The timeline shows what 0Gate said.", after),
        };
    }

    protected override CancelSessionResult GateFailed(CheckoutAttempt before, GateApiException failure, string reference) =>
        new(CancelSessionOutcome.GateUnavailable, failure.IsTransient
            ? $"0Gate could not be reached just now, so nothing changed. Try again in a moment.{reference}"
            : $"0Gate refused ({failure.Code ?? "error"}), so nothing changed.{reference}", before);

    protected override string Note(StaffChange change, StaffRequest request) =>
        $"Session cancel by {request.Who}: {request.Reason} ({change.Before.ToWire()} → {change.Attempt.Status.ToWire()})";
}
