namespace Portal.Core.Attempts;

/// <summary>
/// What the customer's success page shows, copied once from 0Gate's receipt when the attempt is
/// fulfilled. Only display fields are kept; a sell's bank account is stored already masked.
/// </summary>
public sealed class AttemptReceipt
{
    private AttemptReceipt()
    {
        AttemptId = string.Empty;
        TxRefId = string.Empty;
        Action = string.Empty;
    }

    public AttemptReceipt(string attemptId, string txRefId, string action, DateTimeOffset fetchedAt)
    {
        AttemptId = attemptId;
        TxRefId = txRefId;
        Action = action;
        FetchedAt = fetchedAt;
    }

    public string AttemptId { get; private set; }

    public string TxRefId { get; private set; }

    /// <summary><c>BUY</c> or <c>SELL</c>.</summary>
    public string Action { get; private set; }

    public string? Token { get; init; }

    public string? TokenAmount { get; init; }

    public string? Network { get; init; }

    public string? TransactionHash { get; init; }

    public string? ExplorerUrl { get; init; }

    public string? Currency { get; init; }

    public string? FiatAmount { get; init; }

    public string? TotalFees { get; init; }

    /// <summary>What the customer paid (buy, swap) or receives (sell) after fees: 0Gate's <c>total_pay_or_receive</c>.</summary>
    public string? TotalPayOrReceive { get; init; }

    /// <summary>0Gate's <c>exchange_rate</c>: fiat per token (buy, sell) or target tokens per source token (swap).</summary>
    public string? ExchangeRate { get; init; }

    /// <summary>The rail or method, e.g. <c>SEPA</c>, <c>PIX</c>, <c>CARD</c>, <c>WALLET</c>.</summary>
    public string? PaymentMethod { get; init; }

    public string? WalletAddress { get; init; }

    /// <summary>Sell only: e.g. <c>•••• 4321</c>. The full number is never stored.</summary>
    public string? MaskedBankAccount { get; init; }

    public string? PermalinkUrl { get; init; }

    /// <summary>The LatAm local rail's own transaction id (PIX, SPEI, PSE), when the money moved over one.</summary>
    public string? LocalRailTransactionId { get; init; }

    public DateTimeOffset FetchedAt { get; private set; }

    /// <summary>0Gate's <c>Request-Id</c> of the read that fetched this receipt, for support to quote to 0Gate.</summary>
    public string? GateRequestId { get; private set; }

    internal void NoteFetchedBy(string? requestId) => GateRequestId ??= requestId;

    public static string? Mask(string? accountNumber)
    {
        if (string.IsNullOrWhiteSpace(accountNumber))
        {
            return null;
        }

        var compact = new string(accountNumber.Where(char.IsLetterOrDigit).ToArray());
        return compact.Length <= 4 ? "••••" : "•••• " + compact[^4..];
    }
}
