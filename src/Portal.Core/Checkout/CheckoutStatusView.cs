namespace Portal.Core.Checkout;

/// <summary>
/// What an outcome page or <c>GET /api/checkout/{id}/status</c> shows for an attempt, derived only
/// from server-side state (seed 004 "Status endpoint").
/// </summary>
public sealed record CheckoutStatusView(
    string AttemptId,
    string Status,
    string View,
    bool CanRetry,
    int? NextPollMs,
    string Flow,
    DateTimeOffset CreatedAt,
    string Title,
    string Message,
    string NextAction)
{
    public const int PollMilliseconds = 3000;

    public static CheckoutStatusView For(CheckoutAttempt attempt)
    {
        var copy = CheckoutCopy.For(attempt.Flow, attempt.Status);
        return new(
            attempt.Id,
            attempt.Status.ToWire(),
            copy.View,
            attempt.Status is AttemptStatus.Failed or AttemptStatus.Expired or AttemptStatus.Cancelled,
            attempt.IsTerminal ? null : PollMilliseconds,
            attempt.Flow.ToWire(),
            attempt.CreatedAt,
            copy.Title,
            copy.Message,
            copy.NextAction);
    }
}

public sealed record OutcomeCopy(string View, string Title, string Message, string NextAction);

/// <summary>The customer copy of DESIGN.md and seeds 000/004, in one place.</summary>
public static class CheckoutCopy
{
    public const string Processing = "We are confirming your checkout. You can leave this page and return later.";
    public const string Fulfilled = "Your checkout is complete.";
    public const string Failed = "This checkout could not be completed. You can try again or contact support.";
    public const string Expired = "This session expired. Start again to get a fresh checkout.";
    public const string Cancelled = "This checkout was cancelled. You can start a new attempt.";
    public const string AwaitingCustomer = "Your checkout is waiting for you to finish it with 0Gate.";

    // Sells speak of a sell order, never of a payout before it is confirmed (seed 000 "Payout-safe UX").
    public const string SellProcessing = "We are confirming your sell order. You can leave this page and return later.";
    public const string SellFulfilled = "Your sell order is complete.";
    public const string SellFailed = "This flow could not be completed. Try again or contact support.";
    public const string SellCancelled = "This sell order was cancelled. You can start a new attempt.";

    public static OutcomeCopy For(CheckoutFlow flow, AttemptStatus status)
    {
        var sell = flow == CheckoutFlow.OffRamp;
        return status switch
        {
            AttemptStatus.PendingSession or AttemptStatus.RequiresAction =>
                new("requires_action", "Checkout not finished", AwaitingCustomer, "Continue the checkout, or start a new one."),
            AttemptStatus.Processing =>
                new("processing", "Confirming", sell ? SellProcessing : Processing, "This page updates by itself when 0Gate confirms."),
            AttemptStatus.Fulfilled =>
                new("success", "Complete", sell ? SellFulfilled : Fulfilled, "Your receipt is below."),
            AttemptStatus.Failed =>
                new("failed", "Not completed", sell ? SellFailed : Failed, "Try again with a new checkout, or contact support with the reference below."),
            AttemptStatus.Expired =>
                new("expired", "Session expired", Expired, "Start again to get a fresh checkout."),
            AttemptStatus.Cancelled =>
                new("cancelled", "Cancelled", sell ? SellCancelled : Cancelled, "Start a new attempt whenever you are ready."),
            _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
        };
    }
}
