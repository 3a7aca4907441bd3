using Portal.Core.Checkout;

namespace Portal.Core.Support;

public sealed record AttemptMatch(CheckoutAttempt Attempt, SearchMatch MatchedOn);
