using Portal.Core.Attempts;

namespace Portal.Core.StaffActions;

public sealed record ReconcileResult(ReconcileOutcome Outcome, string Message, CheckoutAttempt? Attempt)
{
    public bool Failed => Outcome is ReconcileOutcome.GateUnavailable or ReconcileOutcome.GateRefused or ReconcileOutcome.NotFound or ReconcileOutcome.RateLimited;
}
