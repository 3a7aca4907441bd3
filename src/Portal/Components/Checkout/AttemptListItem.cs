using Portal.Core.Attempts;

namespace Portal.Components.Checkout;

/// <summary>
/// One row of a customer's attempt list: only what the list shows (never the entity, which also holds the return URLs,
/// the email and the session), so the prerender can hand it to the circuit (<c>[PersistentState]</c>).
/// </summary>
public sealed record AttemptListItem(string Id, DateTimeOffset CreatedAt, CheckoutFlow Flow, decimal Amount, string Currency, AttemptStatus Status)
{
    public static AttemptListItem From(CheckoutAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return new(attempt.Id, attempt.CreatedAt, attempt.Flow, attempt.Amount, attempt.Currency, attempt.Status);
    }

    public static IReadOnlyList<AttemptListItem> From(IEnumerable<CheckoutAttempt> attempts) => [.. attempts.Select(From)];
}
