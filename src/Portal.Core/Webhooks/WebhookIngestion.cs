using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Attempts;
using Portal.Core.Gate;
using Portal.Core.Persistence;
using Portal.Core.Records;

namespace Portal.Core.Webhooks;

/// <summary>
/// A 0Gate delivery, top to bottom: verify the signature over the raw bytes, parse only then; dedupe on the signed
/// body's <c>id</c> (<see cref="IStoreStatements.ClaimEventAsync"/>), apply the event to the attempt's guarded methods
/// and save, all in one write (<see cref="IStoreWriter"/>), so the event row and its effect commit together; answer. Refused deliveries
/// are counted per minute and reason (with a few samples), never stored one row each. The caller answers only after
/// the store has committed, and gives up waiting for the store after <see cref="StoreWait"/> (0Gate's own timeout is
/// about 10 s: a 503 with Retry-After must reach it before that).
/// </summary>
public sealed class WebhookIngestion(
    WebhookSignatureVerifier verifier,
    IStoreWriter store,
    IStoreStatements statements,
    TimeProvider time,
    ILogger<WebhookIngestion> logger)
{
    // Every delivery runs this lookup: translated once per model, not per call.
    private static readonly CompiledQuery<Func<PortalDbContext, string, CancellationToken, Task<CheckoutAttempt?>>> AttemptBySession = new(() =>
        EF.CompileAsyncQuery((PortalDbContext db, string sessionId, CancellationToken ct) => db.Attempts.FirstOrDefault(a => a.GateSessionId == sessionId)));

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
            var applied = await ApplyEventAsync(gateEvent, delivery.Signature, cancellationToken, StoreWait);
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

    /// <summary>
    /// A verified event, deduplicated on its signed id and applied in the same transaction as its processed-event
    /// row: a repeated id changes nothing but a "duplicate" line on the timeline.
    /// </summary>
    /// <param name="signature">The valid signature check of the delivery: when it was signed, and with which secret.</param>
    private Task<EventApplication> ApplyEventAsync(GateEvent gateEvent, SignatureCheck signature, CancellationToken cancellationToken, TimeSpan? storeWait = null) =>
        store.WriteAsync(async (db, ct) =>
        {
            var now = time.GetUtcNow();
            var processed = new ProcessedEvent(gateEvent.Id, gateEvent.Type, now, signature.SignedAt ?? now)
            {
                SecretFingerprint = signature.SecretFingerprint,
                GateSessionId = gateEvent.SessionId,
            };
            if (await statements.ClaimEventAsync(db, processed, ct) is { } seen)
            {
                db.Timeline.Add(new TimelineEntry(seen.AttemptId, TimelineKind.EventDuplicate, $"Duplicate delivery of {gateEvent.Type}; already handled", now)
                {
                    EventId = gateEvent.Id,
                    EventType = gateEvent.Type,
                    GateSessionId = seen.GateSessionId,
                });
                return new EventApplication(seen.Outcome, Duplicate: true);
            }

            var signal = GateOutcomes.SignalOf(gateEvent.Type);
            var attempt = signal == GateSignal.Partner ? null : await FindAttemptAsync(db, gateEvent, now, ct);
            var outcome = signal == GateSignal.Partner ? EventOutcome.Integration : Apply(gateEvent, signal, attempt, db, now);
            processed.AttemptId = attempt?.Id;
            processed.Outcome = outcome;
            return new EventApplication(outcome, Duplicate: false);
        }, cancellationToken, storeWait);

    private static EventOutcome Apply(GateEvent gateEvent, GateSignal signal, CheckoutAttempt? attempt, PortalDbContext db, DateTimeOffset now)
    {
        if (attempt is null && signal == GateSignal.Unhandled)
        {
            // A type the portal does not act on says nothing about the session: named for what it is, whatever session.
            db.Timeline.Add(EventEntry(null, TimelineKind.EventUnhandledType, gateEvent, $"{gateEvent.Type} recorded; the portal does not act on this type", now));
            return EventOutcome.UnhandledType;
        }

        if (attempt is null)
        {
            db.Timeline.Add(EventEntry(null, TimelineKind.EventForUnknownSession, gateEvent, $"{gateEvent.Type} for a session the portal does not know", now));
            return EventOutcome.UnknownSession;
        }

        var change = signal switch
        {
            GateSignal.SessionCreated => attempt.AttachSession(gateEvent.SessionId!, now, GateEventTypes.SessionCreated),
            GateSignal.SessionClosed => attempt.Close(GateOutcomes.ForEventType(gateEvent.Type)!.Value,
                new CloseCause(AttemptCloser.Webhook, gateEvent.Type, gateEvent.Id, gateEvent.TxRefId), now),
            GateSignal.VerificationRequired => attempt.NoteVerificationRequired(now),
            _ => ChangeOutcome.Unchanged,
        };

        var (outcome, kind, summary) = (signal, change) switch
        {
            (GateSignal.Unhandled, _) =>
                (EventOutcome.UnhandledType, TimelineKind.EventUnhandledType, $"{gateEvent.Type} recorded; the portal does not act on this type"),
            (GateSignal.VerificationRequired, _) =>
                (EventOutcome.Recorded, TimelineKind.EventAccepted, "0Gate asked the customer to verify their identity"),
            (GateSignal.Notice, _) =>
                (EventOutcome.Recorded, TimelineKind.EventAccepted, "0Gate accepted the pre-verified KYC package"),
            (GateSignal.SessionClosed, ChangeOutcome.Conflict) =>
                (EventOutcome.IgnoredAfterTerminal, TimelineKind.EventIgnoredAfterTerminal, $"{gateEvent.Type} ignored: attempt already {attempt.Status.ToWire()}; flagged for support"),
            (_, ChangeOutcome.Moved) =>
                (EventOutcome.Applied, TimelineKind.EventAccepted, $"{gateEvent.Type} applied"),
            // The same outcome already recorded (e.g. cancelled by the API response first), or an event that moves
            // nothing: created after the session was attached, or arriving late after the close (reordering is normal).
            _ => (EventOutcome.Recorded, TimelineKind.EventAccepted, $"{gateEvent.Type} recorded; attempt already {attempt.Status.ToWire()}"),
        };

        attempt.Record(EventEntry(attempt.Id, kind, gateEvent, summary, now));
        if (outcome == EventOutcome.IgnoredAfterTerminal)
        {
            attempt.FlagConflict(now);
        }

        return outcome;
    }

    /// <summary>
    /// By 0Gate session id; failing that by <c>user_reference</c> (our attempt id) for an attempt whose session was
    /// created but not yet attached, which the signed event then attaches.
    /// </summary>
    private static async Task<CheckoutAttempt?> FindAttemptAsync(PortalDbContext db, GateEvent gateEvent, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (gateEvent.SessionId is null)
        {
            return null;
        }

        var attempt = await AttemptBySession.For(db)(db, gateEvent.SessionId, cancellationToken);
        if (attempt is not null || !AttemptId.IsWellFormed(gateEvent.UserReference))
        {
            return attempt;
        }

        var unattached = await db.Attempts.FirstOrDefaultAsync(a => a.Id == gateEvent.UserReference && a.GateSessionId == null, cancellationToken);
        if (unattached is not null && gateEvent.Type != GateEventTypes.SessionCreated)
        {
            unattached.AttachSession(gateEvent.SessionId, now, "0Gate session attached from a signed event");
        }

        return unattached;
    }

    private static TimelineEntry EventEntry(string? attemptId, TimelineKind kind, GateEvent gateEvent, string summary, DateTimeOffset at) =>
        new(attemptId, kind, summary, at) { EventId = gateEvent.Id, EventType = gateEvent.Type, GateSessionId = gateEvent.SessionId };

    private static string? Clip(string? hint) => hint is null ? null : hint.Length <= 100 ? hint : hint[..100];
}
