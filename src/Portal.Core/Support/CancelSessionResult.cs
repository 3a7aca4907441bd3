using Portal.Core.Audit;
using Portal.Core.Checkout;
using Portal.Core.Gate;

namespace Portal.Core.Support;

public sealed record CancelSessionResult(CancelSessionOutcome Outcome, string Message, CheckoutAttempt? Attempt)
{
    public bool Failed => Outcome is CancelSessionOutcome.GateUnavailable or CancelSessionOutcome.NotFound or CancelSessionOutcome.RateLimited
        or CancelSessionOutcome.ReasonRequired;
}
