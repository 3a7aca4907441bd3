using Portal.Core.Attempts;

namespace Portal.Core.Reads;

/// <summary>
/// A receipt read the way the customer's receipt reads it, so support quotes the same figures: a buy or swap paid
/// <c>total_pay_or_receive</c> (fees included) and received the tokens; a sell sent the tokens and receives
/// <c>total_pay_or_receive</c> after fees (net). The money went to a wallet (buy, swap) or a masked bank account (sell).
/// </summary>
public sealed record ReceiptSummary(
    ReceiptAmount Paid,
    ReceiptAmount Received,
    ReceiptAmount Fees,
    ReceiptAmount? Gross,
    string? Rate,
    string? PaymentMethod,
    string? WalletAddress,
    string? MaskedBankAccount)
{
    public static ReceiptSummary Of(AttemptReceipt receipt, CheckoutFlow flow)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        var sell = receipt.Action == "SELL";
        var fees = new ReceiptAmount(receipt.TotalFees, receipt.Currency);
        var rate = receipt.ExchangeRate is not { Length: > 0 } r
            ? null
            : flow == CheckoutFlow.Swap ? $"1 {receipt.Currency} = {r} {receipt.Token}" : $"1 {receipt.Token} = {r} {receipt.Currency}";
        return sell
            ? new(new(receipt.TokenAmount, receipt.Token), new(receipt.TotalPayOrReceive, receipt.Currency), fees,
                new(receipt.FiatAmount, receipt.Currency), rate, receipt.PaymentMethod, null, receipt.MaskedBankAccount)
            : new(new(receipt.TotalPayOrReceive ?? receipt.FiatAmount, receipt.Currency), new(receipt.TokenAmount, receipt.Token), fees,
                null, rate, receipt.PaymentMethod, receipt.WalletAddress, null);
    }
}
