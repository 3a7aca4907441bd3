using Portal.Core.Attempts;

namespace Portal.Core.Reads;

/// <summary>One page of a customer's own attempts (newest first) and how many there are in all.</summary>
public sealed record OwnerAttemptPage(IReadOnlyList<CheckoutAttempt> Items, int Total, int Page, int PageSize)
{
    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);
}
