namespace Portal.Core.Reads;

/// <summary>
/// What an outcome page shows of one attempt: its status as the customer reads it on the URL they arrived on, and the
/// receipt once 0Gate's has been stored. Server state only; serializable, so the page's interactive part can take it
/// over from the prerender instead of reading it again.
/// </summary>
public sealed record CheckoutOutcome(CheckoutStatusView Status, CustomerReceipt? Receipt)
{
    /// <summary>A success whose receipt is not stored yet: the page keeps looking for it.</summary>
    public bool AwaitsReceipt => Status.View == OutcomeView.Success && Receipt is null;

    /// <summary>Whether the page still expects a change: an open attempt, or a success waiting for its receipt.</summary>
    public bool MayChange => Status.NextPollMs is not null || AwaitsReceipt;
}
