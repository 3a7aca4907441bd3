using System.Diagnostics;
using Portal.Core.Gate;

namespace Portal.Core.Checkout;

/// <summary>
/// Fetches a fulfilled attempt's receipt from 0Gate once and keeps its display fields. Fed by
/// <see cref="CommittedTransitions"/>; the success page calls <see cref="EnsureAsync"/> as a fallback
/// (after a restart, or while 0Gate was down), and the store keeps a single receipt per attempt.
/// </summary>
public sealed class ReceiptFetcher(
    CommittedTransitions transitions,
    CheckoutAttempts attempts,
    AttemptWriter writer,
    GateClient gate,
    TimeProvider time,
    ILogger<ReceiptFetcher> logger) : BackgroundService
{
    // One fetch in flight per attempt: the background queue and any page asking at the same time share it.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<Task<AttemptReceipt?>>> _inFlight = new();

    public async Task<AttemptReceipt?> EnsureAsync(string attemptId, CancellationToken cancellationToken)
    {
        var fetch = _inFlight.GetOrAdd(attemptId, id => new Lazy<Task<AttemptReceipt?>>(() => FetchOnceAsync(id)));
        try
        {
            return await fetch.Value.WaitAsync(cancellationToken);
        }
        finally
        {
            if (fetch.Value.IsCompleted)
            {
                _inFlight.TryRemove(new KeyValuePair<string, Lazy<Task<AttemptReceipt?>>>(attemptId, fetch));
            }
        }
    }

    /// <summary>Not tied to one caller's cancellation: a shared fetch finishes for whoever else waits on it.</summary>
    private async Task<AttemptReceipt?> FetchOnceAsync(string attemptId)
    {
        var cancellationToken = CancellationToken.None;
        var stored = await attempts.GetReceiptAsync(attemptId, cancellationToken);
        if (stored is not null)
        {
            return stored;
        }

        var attempt = await attempts.GetAsync(attemptId, cancellationToken);
        if (attempt is not { Status: AttemptStatus.Fulfilled, TxRefId: { } refid })
        {
            return null;
        }

        try
        {
            var read = await gate.GetTransactionAsync(refid, cancellationToken);
            var receipt = read.Value;
            await writer.StoreReceiptAsync(new AttemptReceipt(attemptId, receipt.Refid, receipt.Action, time.GetUtcNow())
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
            }, read.RequestId, cancellationToken);
            return await attempts.GetReceiptAsync(attemptId, cancellationToken);
        }
        catch (GateApiException ex)
        {
            logger.LogWarning("Fetching the receipt for {AttemptId} failed: {Code} (request {RequestId})", attemptId, ex.Code, ex.RequestId);
            return null;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var (attemptId, cause) in transitions.Fulfilled.ReadAllAsync(stoppingToken))
            {
                // Its own trace, linked to the delivery that fulfilled the attempt.
                using var activity = Telemetry.PortalTelemetry.Source.StartActivity(
                    "receipt.fetch", ActivityKind.Internal, parentContext: default, links: cause == default ? null : [new ActivityLink(cause)]);
                activity?.SetTag("portal.attempt.id", attemptId);
                try
                {
                    await EnsureAsync(attemptId, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The success page retries through EnsureAsync; this loop must keep serving.
                    logger.LogError(ex, "Receipt fetch for {AttemptId} failed", attemptId);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping is not a failure, also when the host is disposed after a failed start (no StopAsync then,
            // and the host would report the cancellation as a crashed background service).
        }
    }

    /// <summary>Links come from 0Gate but are rendered as hrefs: only absolute http(s) URLs pass.</summary>
    private static string? SafeHttpUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri.ToString() : null;
}
