using Portal.Core.Attempts;

namespace Portal.Core.Checkout;

/// <summary>
/// A staff member's change as it stands once the guarded method ran, inside the write: the status it was conditional
/// on, the attempt now, what the method did, and (for a 0Gate read or cancel) what 0Gate said, as on the timeline.
/// </summary>
public sealed record StaffChange(AttemptStatus Before, CheckoutAttempt Attempt, ChangeOutcome Outcome, DateTimeOffset At, string? GateSaid = null)
{
    public bool StatusChanged => Attempt.Status != Before;
}
