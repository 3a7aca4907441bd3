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

    /// <summary>The store could not commit in time: 0Gate should retry.</summary>
    StorageUnavailable,
}

public sealed record IngestionResult(IngestionStatus Status, string Detail, EventOutcome? Outcome = null, string? EventId = null);

/// <summary>Unauthenticated companion headers: logged for correlation, never trusted.</summary>
public sealed record DeliveryHints(string? EventId, string? EventType, string? Timestamp);

/// <summary>
/// A delivery after the signature check and the body parse. Either <see cref="Event"/> is set (verified, an event
/// object) or <see cref="Reason"/> says why it is refused (<c>no_matching_signature</c>, <c>malformed_body</c>, …).
/// </summary>
public sealed record CheckedDelivery(SignatureCheck Signature, GateEvent? Event, string? Reason, string? Detail)
{
    public bool IsEvent => Event is not null;

    /// <summary>The signature itself failed (as opposed to a signed body that is not an event).</summary>
    public bool SignatureFailed => !Signature.IsValid;
}

/// <summary>
/// Verify the signature over the raw bytes, parse only then, and hand the event to <see cref="AttemptWriter"/>, which
/// dedupes on the signed body's <c>id</c> and applies it in the same transaction as the event row. Refused deliveries
/// are counted per minute and reason (with a few samples), never stored one row each. The caller answers only after
/// the store has committed, and gives up waiting for the store after <see cref="StoreWait"/> (0Gate's own timeout is
/// about 10 s: a 503 with Retry-After must reach it before that).
/// </summary>
public sealed class WebhookIngestion(
    WebhookSignatureVerifier verifier,
    AttemptWriter attempts,
    IStoreWriter store,
    TimeProvider time,
    ILogger<WebhookIngestion> logger)
{
    /// <summary>How long a delivery waits for the store (including its write lock) before it is answered 503.</summary>
    public static readonly TimeSpan StoreWait = TimeSpan.FromSeconds(4);

    /// <summary>Refused deliveries kept as individual samples, per minute and reason; the rest are only counted.</summary>
    public const int SamplesPerMinute = 10;

    /// <summary>Signature, then body: no I/O, no parsing before the signature verified.</summary>
    public CheckedDelivery Check(ReadOnlyMemory<byte> body, string? signatureHeader)
    {
        var signature = verifier.Verify(body.Span, signatureHeader);
        if (!signature.IsValid)
        {
            return new(signature, null, SnakeCase.From(signature.Failure.ToString()), "The Gate-Signature header did not verify.");
        }

        return GateEvent.TryParse(body, out var gateEvent)
            ? new(signature, gateEvent, null, null)
            : new(signature, null, "malformed_body", "The body must be UTF-8 JSON: an object with string 'id' and 'type', no property twice.");
    }

    /// <summary>Counts a refused delivery (reason, size, hash, skew; never the body) and keeps a sample while the minute has few.</summary>
    public async Task RecordRejectionAsync(CheckedDelivery delivery, ReadOnlyMemory<byte> body, DeliveryHints hints, CancellationToken cancellationToken)
    {
        var reason = delivery.Reason ?? "unknown";
        var skew = delivery.Signature.SkewSeconds;
        logger.LogWarning(
            "Rejected webhook delivery: {Reason} (length {Length}, skew {Skew}s, hinted event {HintEventId} {HintEventType})",
            reason, body.Length, skew, Clip(hints.EventId), Clip(hints.EventType));
        try
        {
            var now = time.GetUtcNow();
            var hash = Convert.ToHexStringLower(SHA256.HashData(body.Span));
            await store.WriteAsync(async (db, ct) =>
            {
                var minute = RejectedDeliveryTally.MinuteOf(now);
                var tally = await db.RejectedDeliveryTallies.FindAsync([minute, reason], ct);
                if (tally is null)
                {
                    tally = new RejectedDeliveryTally(minute, reason);
                    db.RejectedDeliveryTallies.Add(tally);
                }

                if (tally.Add(skew, now) <= SamplesPerMinute)
                {
                    db.RejectedDeliveries.Add(new RejectedDelivery(reason, body.Length, hash, skew, now));
                }

                return true;
            }, cancellationToken, StoreWait);
        }
        catch (Exception ex) when (StoreErrors.IsUnavailable(ex))
        {
            // The answer (400) does not depend on this record; the log line above still has it.
            logger.LogWarning(ex, "Could not record a rejected webhook delivery");
        }
    }

    /// <summary>Stores and applies a verified event; <see cref="IngestionStatus.StorageUnavailable"/> when the store cannot commit in time.</summary>
    public async Task<IngestionResult> ApplyAsync(CheckedDelivery delivery, DeliveryHints hints, CancellationToken cancellationToken)
    {
        var gateEvent = delivery.Event ?? throw new ArgumentException("Only a verified event is applied.", nameof(delivery));
        try
        {
            var applied = await attempts.ApplyEventAsync(gateEvent, delivery.Signature, cancellationToken, StoreWait);
            var status = applied.Duplicate ? IngestionStatus.Duplicate : IngestionStatus.Processed;
            logger.LogInformation(
                "Webhook {EventId} {EventType}: {Status} {Outcome} (hinted {HintEventId})",
                gateEvent.Id, gateEvent.Type, status, applied.Outcome, Clip(hints.EventId));
            return new(status, applied.Duplicate ? "Already processed." : "Processed.", applied.Outcome, gateEvent.Id);
        }
        catch (Exception ex) when (StoreErrors.IsUnavailable(ex))
        {
            logger.LogError(ex, "Could not store webhook {EventId} {EventType}; asking 0Gate to retry", gateEvent.Id, gateEvent.Type);
            return new(IngestionStatus.StorageUnavailable, "The event could not be stored. Retry later.", EventId: gateEvent.Id);
        }
    }

    private static string? Clip(string? hint) => hint is null ? null : hint.Length <= 100 ? hint : hint[..100];
}
