using Portal.Core.Attempts;

namespace Portal.Core.Reads;

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
