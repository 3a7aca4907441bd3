using Portal.Core.Attempts;
using Portal.Core.Gate;
using Portal.Core.Reads;
using Portal.Core.Records;

namespace Portal.Core.Checkout;

/// <summary>
/// Reads a fulfilled attempt's receipt from 0Gate once and keeps its display fields (a sell's bank account is stored
/// already masked). Run by the durable <c>fetch_receipt</c> job the fulfilment's own commit created, so it happens
/// once across instances and survives a crash; a failure (0Gate down) throws and the job retries.
/// </summary>
public sealed class ReceiptFetcher(AttemptReads attempts, AttemptWriter writer, GateClient gate, TimeProvider time)
{
    /// <param name="forJob">The job running this fetch: a stored receipt completes it in the same transaction.</param>
    public async Task<ReceiptFetch> FetchAsync(string attemptId, CancellationToken cancellationToken, BackgroundJob? forJob = null)
    {
        // One read: the attempt notes when its receipt was stored (in the receipt's own transaction).
        var attempt = await attempts.GetAsync(attemptId, cancellationToken);
        if (attempt?.ReceiptStoredAt is not null)
        {
            return ReceiptFetch.AlreadyStored;
        }

        if (attempt is not { Status: AttemptStatus.Fulfilled, TxRefId: { } refid })
        {
            return ReceiptFetch.NothingToFetch;
        }

        var read = await gate.GetTransactionAsync(refid, cancellationToken);
        var receipt = read.Value;
        var stored = await writer.StoreReceiptAsync(new AttemptReceipt(attemptId, receipt.Refid, receipt.Action, time.GetUtcNow())
        {
            Token = receipt.Token,
            TokenAmount = receipt.TokenAmount,
            Network = receipt.Network,
            TransactionHash = receipt.Blockchain?.Hash,
            ExplorerUrl = SafeHttpUrl(receipt.Blockchain?.ExplorerUrl),
            Currency = receipt.Currency,
            FiatAmount = receipt.FiatAmount,
            TotalFees = receipt.TotalFees,
            TotalPayOrReceive = receipt.TotalPayOrReceive,
            ExchangeRate = receipt.ExchangeRate,
            PaymentMethod = receipt.PaymentMethod,
            WalletAddress = receipt.Action != "SELL" ? receipt.UserAddress : null,
            MaskedBankAccount = receipt.Action == "SELL" ? AttemptReceipt.Mask(receipt.Bank?.AccountNumber) : null,
            PermalinkUrl = SafeHttpUrl(receipt.PermalinkUrl),
            LocalRailTransactionId = receipt.LocalRailTransactionId,
        }, read.RequestId, cancellationToken, forJob, attempt);
        return stored ? ReceiptFetch.Stored : ReceiptFetch.AlreadyStored;
    }

    /// <summary>Links come from 0Gate but are rendered as hrefs: only absolute http(s) URLs pass.</summary>
    private static string? SafeHttpUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri.ToString() : null;
}
