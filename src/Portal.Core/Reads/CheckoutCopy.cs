using Portal.Core.Attempts;

namespace Portal.Core.Reads;

/// <summary>The customer copy (docs/architecture.md#customer-copy), in one place.</summary>
public static class CheckoutCopy
{
    public const string Processing = "We are confirming your checkout. You can leave this page and return later.";
    public const string Fulfilled = "Your checkout is complete.";
    public const string Failed = "This checkout could not be completed. You can try again or contact support.";
    public const string Expired = "This session expired. Start again to get a fresh checkout.";
    public const string Cancelled = "This checkout was cancelled. You can start a new attempt.";
    public const string AwaitingCustomer = "Your checkout is waiting for you to finish it with 0Gate.";
    public const string VerificationRequired = "0Gate needs to verify your identity before this checkout can go on. Continue the checkout to verify.";
    public const string NotHeardYet = "We have not heard from 0Gate yet.";

    // Sells speak of a sell order, never of a payout before it is confirmed (docs/architecture.md#customer-copy).
    public const string SellProcessing = "We are confirming your sell order. You can leave this page and return later.";
    public const string SellFulfilled = "Your sell order is complete.";
    public const string SellFailed = "This flow could not be completed. Try again or contact support.";
    public const string SellCancelled = "This sell order was cancelled. You can start a new attempt.";

    /// <summary>
    /// Each outcome sentence once: the next action never repeats the message (an empty one is not shown), and the
    /// success page leaves the receipt's whereabouts to the receipt panel, which knows whether it has arrived.
    /// </summary>
    public static OutcomeCopy For(CheckoutFlow flow, OutcomeView view, OutcomeArrival arrival = OutcomeArrival.Status)
    {
        var sell = flow == CheckoutFlow.OffRamp;
        return view switch
        {
            OutcomeView.NotFinished when arrival == OutcomeArrival.Return => new("Not heard from 0Gate yet", NotHeardYet,
                "If you finished in 0Gate, this page updates by itself when 0Gate confirms. If you did not, continue the checkout."),
            OutcomeView.NotFinished => new("Checkout not finished", AwaitingCustomer, "Continue the checkout, or start a new one."),
            OutcomeView.VerificationRequired => new("Verification needed", VerificationRequired, "Verification happens inside 0Gate; the portal never sees your documents."),
            OutcomeView.Processing => new("Confirming", sell ? SellProcessing : Processing, "This page updates by itself when 0Gate confirms."),
            OutcomeView.Success => new("Complete", sell ? SellFulfilled : Fulfilled, string.Empty),
            OutcomeView.Failed => new("Not completed", sell ? SellFailed : Failed, string.Empty),
            OutcomeView.Expired => new("Session expired", Expired, string.Empty),
            OutcomeView.Cancelled => new("Cancelled", sell ? SellCancelled : Cancelled, string.Empty),
            _ => throw new ArgumentOutOfRangeException(nameof(view), view, null),
        };
    }
}
