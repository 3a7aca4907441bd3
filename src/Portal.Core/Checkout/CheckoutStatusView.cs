namespace Portal.Core.Checkout;

/// <summary>What the customer is shown about an attempt (docs/architecture.md#customer-copy), by wire name in the status JSON.</summary>
public enum OutcomeView
{
    /// <summary><c>requires_action</c>: the checkout waits for the customer inside 0Gate.</summary>
    NotFinished,

    /// <summary><c>verification_required</c>: 0Gate asked the customer to verify their identity to go on.</summary>
    VerificationRequired,

    /// <summary><c>processing</c>: the customer is done; the portal waits for 0Gate's confirmation.</summary>
    Processing,

    /// <summary><c>success</c>.</summary>
    Success,

    /// <summary><c>failed</c>.</summary>
    Failed,

    /// <summary><c>expired</c>.</summary>
    Expired,

    /// <summary><c>cancelled</c>.</summary>
    Cancelled,
}

/// <summary>Which outcome URL the customer arrived on. A routing signal only: it changes what is shown, never the state.</summary>
public enum OutcomeArrival
{
    /// <summary><c>/checkout/{id}/status</c>: the reusable status page (emails, support, refreshes).</summary>
    Status,

    /// <summary><c>/checkout/{id}/return</c>: back from the hosted flow, finished or not.</summary>
    Return,

    /// <summary><c>/checkout/{id}/cancel</c>: the customer left or cancelled the hosted flow.</summary>
    Cancel,
}

public static class OutcomeViewNames
{
    public static string ToWire(this OutcomeView view) => view switch
    {
        OutcomeView.NotFinished => "requires_action",
        OutcomeView.VerificationRequired => "verification_required",
        OutcomeView.Processing => "processing",
        OutcomeView.Success => "success",
        OutcomeView.Failed => "failed",
        OutcomeView.Expired => "expired",
        OutcomeView.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(view), view, null),
    };
}

/// <summary>
/// What an outcome page or <c>GET /api/checkout/{id}/status</c> shows for an attempt, derived only from server-side
/// state (docs/architecture.md#customer-routes-and-ownership) and the URL the customer arrived on.
/// </summary>
public sealed record CheckoutStatusView(
    string AttemptId,
    AttemptStatus Status,
    OutcomeView View,
    CheckoutFlow Flow,
    DateTimeOffset CreatedAt,
    OutcomeCopy Copy)
{
    public const int PollMilliseconds = 3000;

    /// <summary>Failed, expired and cancelled attempts offer a fresh attempt (never the old session).</summary>
    public bool CanRetry => Status is AttemptStatus.Failed or AttemptStatus.Expired or AttemptStatus.Cancelled;

    /// <summary>An open attempt can be continued in 0Gate for as long as 0Gate keeps its session open.</summary>
    public bool CanContinue => !Status.IsTerminal();

    public int? NextPollMs => Status.IsTerminal() ? null : PollMilliseconds;

    /// <summary>The same status in the words of another outcome URL (<c>/return</c> speaks of 0Gate not heard from yet).</summary>
    public CheckoutStatusView On(OutcomeArrival arrival) => this with { Copy = CheckoutCopy.For(Flow, View, arrival) };

    public static CheckoutStatusView For(CheckoutAttempt attempt, OutcomeArrival arrival = OutcomeArrival.Status)
    {
        var view = attempt.Status switch
        {
            AttemptStatus.Fulfilled => OutcomeView.Success,
            AttemptStatus.Failed => OutcomeView.Failed,
            AttemptStatus.Expired => OutcomeView.Expired,
            AttemptStatus.Cancelled => OutcomeView.Cancelled,
            _ when attempt.AwaitsVerification => OutcomeView.VerificationRequired,
            // "Confirming" only once the customer's hosted flow said it finished (processing). Arriving on /return is not
            // that: anyone can open the URL, so before it the page says 0Gate has not been heard from yet.
            AttemptStatus.Processing => OutcomeView.Processing,
            _ => OutcomeView.NotFinished,
        };

        return new(attempt.Id, attempt.Status, view, attempt.Flow, attempt.CreatedAt, CheckoutCopy.For(attempt.Flow, view, arrival));
    }
}

public sealed record OutcomeCopy(string Title, string Message, string NextAction);

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
