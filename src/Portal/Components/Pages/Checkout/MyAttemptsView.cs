using Portal.Components.Checkout;
using Portal.Core.Gate;

namespace Portal.Components.Pages.Checkout;

/// <summary>The filters and page number of My attempts, as read from the address (unknown values already dropped).</summary>
public sealed record MyAttemptsQuery(string? Status, string? Kind, int Page);

/// <summary>One page of a customer's own attempts as My attempts shows it, and what 0Gate offers (for the amounts' decimals).</summary>
/// <remarks>The account id binds it to its customer: the circuit takes it back only for the same signed-in customer.</remarks>
public sealed record MyAttemptsView(string AccountId, MyAttemptsQuery Query, IReadOnlyList<AttemptListItem> Items, int Total, int Page, int PageSize, GateCapabilities Capabilities)
{
    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);
}
