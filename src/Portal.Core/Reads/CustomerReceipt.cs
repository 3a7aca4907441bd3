using Portal.Core.Attempts;

namespace Portal.Core.Reads;

/// <summary>
/// The customer's copy of 0Gate's receipt, as the outcome page shows it: display fields only (no 0Gate request id, no
/// fetch bookkeeping). A plain record, so an outcome page can carry it from its prerender into its circuit.
/// </summary>
public sealed record CustomerReceipt(
    string TxRefId,
    string Action,
    string? Token,
    string? TokenAmount,
    string? Network,
    string? ExplorerUrl,
    string? Currency,
    string? FiatAmount,
    string? TotalFees,
    string? TotalPayOrReceive,
    string? ExchangeRate,
    string? PaymentMethod,
    string? WalletAddress,
    string? MaskedBankAccount,
    string? PermalinkUrl)
{
    public static CustomerReceipt From(AttemptReceipt receipt)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        return new(receipt.TxRefId, receipt.Action, receipt.Token, receipt.TokenAmount, receipt.Network, receipt.ExplorerUrl, receipt.Currency,
            receipt.FiatAmount, receipt.TotalFees, receipt.TotalPayOrReceive, receipt.ExchangeRate, receipt.PaymentMethod, receipt.WalletAddress,
            receipt.MaskedBankAccount, receipt.PermalinkUrl);
    }
}
