using System.Security.Cryptography;
using Portal.Core.Checkout;
using Portal.Core.Persistence;

namespace Portal.Core.Webhooks;

public enum IngestionStatus
{
    /// <summary>First delivery of this event id: stored (and applied where due).</summary>
    Processed,

    /// <summary>This event id was processed before: nothing changed.</summary>
    Duplicate,

    /// <summary>The signature did not verify: nothing applied, a rejected delivery recorded.</summary>
    SignatureRejected,

    /// <summary>Signed, but not a JSON object with string <c>id</c> and <c>type</c>.</summary>
    MalformedBody,

    /// <summary>The store could not commit: 0Gate should retry.</summary>
    StorageUnavailable,
}

public sealed record IngestionResult(IngestionStatus Status, string Detail, EventOutcome? Outcome = null, string? EventId = null);

/// <summary>Unauthenticated companion headers: logged for correlation, never trusted.</summary>
public sealed record DeliveryHints(string? EventId, string? EventType, string? Timestamp);

/// <summary>
/// Verify the signature over the raw bytes, parse only then, and hand the event to <see cref="AttemptWriter"/>, which
/// dedupes on the signed body's <c>id</c> and applies it in the same transaction as the event row. The caller
/// answers only after this returns.
/// </summary>
public sealed class WebhookIngestion(
    WebhookSignatureVerifier verifier,
    AttemptWriter attempts,
    StoreWriter store,
    TimeProvider time,
    ILogger<WebhookIngestion> logger)
{
    public async Task<IngestionResult> IngestAsync(ReadOnlyMemory<byte> body, string? signatureHeader, DeliveryHints hints, CancellationToken cancellationToken)
    {
        var check = verifier.Verify(body.Span, signatureHeader);
        if (!check.IsValid)
        {
            var reason = SnakeCase.From(check.Failure.ToString());
            logger.LogWarning(
                "Rejected webhook delivery: {Reason} (length {Length}, skew {Skew}s, hinted event {HintEventId} {HintEventType})",
                reason, body.Length, check.SkewSeconds, Clip(hints.EventId), Clip(hints.EventType));
            await RecordRejectionAsync(reason, body, check.SkewSeconds, cancellationToken);
            return new(IngestionStatus.SignatureRejected, "The Gate-Signature header did not verify.");
        }

        if (!GateEvent.TryParse(body, out var gateEvent))
        {
            logger.LogWarning("Rejected signed webhook delivery with a malformed body (length {Length})", body.Length);
            await RecordRejectionAsync("malformed_body", body, check.SkewSeconds, cancellationToken);
            return new(IngestionStatus.MalformedBody, "The body must be a JSON object with string 'id' and 'type'.");
        }

        try
        {
            var applied = await attempts.ApplyEventAsync(gateEvent!, check.SignedAt!.Value, cancellationToken);
            var status = applied.Duplicate ? IngestionStatus.Duplicate : IngestionStatus.Processed;
            logger.LogInformation(
                "Webhook {EventId} {EventType}: {Status} {Outcome} (hinted {HintEventId})",
                gateEvent!.Id, gateEvent.Type, status, applied.Outcome, Clip(hints.EventId));
            return new(status, applied.Duplicate ? "Already processed." : "Processed.", applied.Outcome, gateEvent.Id);
        }
        catch (Exception ex) when (StoreErrors.IsUnavailable(ex))
        {
            logger.LogError(ex, "Could not store webhook {EventId} {EventType}; asking 0Gate to retry", gateEvent!.Id, gateEvent.Type);
            return new(IngestionStatus.StorageUnavailable, "The event could not be stored. Retry later.", EventId: gateEvent.Id);
        }
    }

    private async Task RecordRejectionAsync(string reason, ReadOnlyMemory<byte> body, long? skew, CancellationToken cancellationToken)
    {
        try
        {
            var rejected = new RejectedDelivery(reason, body.Length, Convert.ToHexStringLower(SHA256.HashData(body.Span)), skew, time.GetUtcNow());
            await store.WriteAsync((db, _) =>
            {
                db.RejectedDeliveries.Add(rejected);
                return Task.FromResult(true);
            }, cancellationToken);
        }
        catch (Exception ex) when (StoreErrors.IsUnavailable(ex))
        {
            // The answer (400) does not depend on this record; the log line above still has it.
            logger.LogWarning(ex, "Could not record a rejected webhook delivery");
        }
    }

    private static string? Clip(string? hint) => hint is null ? null : hint.Length <= 100 ? hint : hint[..100];
}
