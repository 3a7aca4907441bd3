using Portal.Core.Audit;
using Portal.Core.Checkout;
using Portal.Core.Gate;

namespace Portal.Core.Support;

public sealed record ReconcileResult(ReconcileOutcome Outcome, string Message, CheckoutAttempt? Attempt)
{
    public bool Failed => Outcome is ReconcileOutcome.GateUnavailable or ReconcileOutcome.GateRefused or ReconcileOutcome.NotFound or ReconcileOutcome.RateLimited;
}
