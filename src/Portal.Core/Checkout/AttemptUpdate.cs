using Portal.Core.Attempts;

namespace Portal.Core.Checkout;

/// <summary>What a write did to an attempt, and the attempt as it now stands (null: no such attempt).</summary>
public sealed record AttemptUpdate(ChangeOutcome Outcome, CheckoutAttempt? Attempt);
