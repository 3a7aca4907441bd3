using Portal.Core.Attempts;

namespace Portal.Core.Reads;

public sealed record AttemptMatch(CheckoutAttempt Attempt, SearchMatch MatchedOn);
