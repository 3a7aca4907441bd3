using Portal.Core.Attempts;
using Portal.Core.Reads;

namespace Portal.Components.Support;

/// <summary>0Gate's receipt as support's page shows it: the customer's figures (<see cref="ReceiptSummary"/>) and where the money went.</summary>
public sealed record ReceiptView(
    ReceiptSummary Summary,
    string Action,
    string? Network,
    string? TransactionHash,
    string? ExplorerUrl,
    string? LocalRailTransactionId,
    string? PermalinkUrl,
    DateTimeOffset FetchedAt,
    string? GateRequestId)
{
    public static ReceiptView From(AttemptReceipt receipt, CheckoutFlow flow)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        return new(ReceiptSummary.Of(receipt, flow), receipt.Action, receipt.Network, receipt.TransactionHash, receipt.ExplorerUrl,
            receipt.LocalRailTransactionId, receipt.PermalinkUrl, receipt.FetchedAt, receipt.GateRequestId);
    }
}
