using Portal.Core.Attempts;

namespace Portal.Core.StaffActions;

public sealed record CancelSessionResult(CancelSessionOutcome Outcome, string Message, CheckoutAttempt? Attempt)
{
    public bool Failed => Outcome is CancelSessionOutcome.GateUnavailable or CancelSessionOutcome.NotFound or CancelSessionOutcome.RateLimited
        or CancelSessionOutcome.ReasonRequired;
}
