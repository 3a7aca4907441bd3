namespace Portal.Checkout;

public sealed record CheckoutStatusResponse(string AttemptId, string Status, string View, bool CanRetry, int? NextPollMs, DateTimeOffset CreatedAt, string Message);
