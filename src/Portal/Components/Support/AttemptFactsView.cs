using Portal.Core.Attempts;

namespace Portal.Components.Support;

/// <summary>What support's attempt page shows of the attempt itself.</summary>
public sealed record AttemptFactsView(
    string Id,
    string AccountId,
    AttemptStatus Status,
    bool NeedsReview,
    string? GateEnvironment,
    CheckoutFlow Flow,
    decimal Amount,
    string Currency,
    string? TargetToken,
    string? TargetNetwork,
    string? GateSessionId,
    string UserReference,
    string? ReturnUrl,
    string? CancelUrl,
    string? TxRefId,
    string? ClosedByEventId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? ClosedAt)
{
    public static AttemptFactsView From(CheckoutAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return new(attempt.Id, attempt.AccountId, attempt.Status, attempt.NeedsReview, attempt.GateEnvironment, attempt.Flow, attempt.Amount,
            attempt.Currency, attempt.TargetToken, attempt.TargetNetwork, attempt.GateSessionId, attempt.UserReference, attempt.ReturnUrl,
            attempt.CancelUrl, attempt.TxRefId, attempt.ClosedByEventId, attempt.CreatedAt, attempt.UpdatedAt, attempt.ClosedAt);
    }
}
