using System.Data.Common;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
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
/// Verify, dedupe on the signed body's <c>id</c>, and apply the event's transition with a conditional
/// update in the same transaction as the event row. The caller answers only after this returns.
/// </summary>
public sealed class WebhookIngestion(
    WebhookSignatureVerifier verifier,
    IDbContextFactory<PortalDbContext> dbFactory,
    CommittedTransitions transitions,
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
            var (result, change) = await ApplyAsync(gateEvent!, check.SignedAt!.Value, cancellationToken);
            logger.LogInformation(
                "Webhook {EventId} {EventType}: {Status} {Outcome} (hinted {HintEventId})",
                gateEvent!.Id, gateEvent.Type, result.Status, result.Outcome, Clip(hints.EventId));
            if (change is not null)
            {
                transitions.Announce(change);
            }

            return result;
        }
        catch (Exception ex) when (IsStorageFailure(ex))
        {
            logger.LogError(ex, "Could not store webhook {EventId} {EventType}; asking 0Gate to retry", gateEvent!.Id, gateEvent.Type);
            return new(IngestionStatus.StorageUnavailable, "The event could not be stored. Retry later.", EventId: gateEvent.Id);
        }
    }

    private async Task<(IngestionResult Result, AttemptStatusChanged? Change)> ApplyAsync(GateEvent gateEvent, DateTimeOffset signedAt, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // SQLite: BEGIN IMMEDIATE, so concurrent deliveries queue on the write lock (busy timeout)
        // instead of racing between the dedupe read and the insert.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        var seen = await db.ProcessedEvents.AsNoTracking().FirstOrDefaultAsync(e => e.EventId == gateEvent.Id, cancellationToken);
        if (seen is not null)
        {
            db.Timeline.Add(new TimelineEntry(seen.AttemptId, TimelineKind.EventDuplicate, $"Duplicate delivery of {gateEvent.Type}; already handled", now)
            {
                EventId = gateEvent.Id,
                EventType = gateEvent.Type,
                GateSessionId = seen.GateSessionId,
            });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return (new(IngestionStatus.Duplicate, "Already processed.", seen.Outcome, gateEvent.Id), null);
        }

        var processed = new ProcessedEvent(gateEvent.Id, gateEvent.Type, now, signedAt) { GateSessionId = gateEvent.SessionId };
        db.ProcessedEvents.Add(processed);

        AttemptStatusChanged? change = null;
        var attempt = await FindAttemptAsync(db, gateEvent, now, cancellationToken);
        processed.AttemptId = attempt?.Id;

        if (IsIntegrationEvent(gateEvent.Type))
        {
            processed.Outcome = EventOutcome.Integration;
        }
        else if (attempt is null)
        {
            processed.Outcome = EventOutcome.UnknownSession;
            db.Timeline.Add(EventEntry(null, TimelineKind.EventForUnknownSession, gateEvent, $"{gateEvent.Type} for a session the portal does not know", now));
        }
        else if (TargetOf(gateEvent.Type) is not { } target)
        {
            processed.Outcome = KnownNotice(gateEvent.Type) ? EventOutcome.Recorded : EventOutcome.UnhandledType;
            var kind = processed.Outcome == EventOutcome.Recorded ? TimelineKind.EventAccepted : TimelineKind.EventUnhandledType;
            db.Timeline.Add(EventEntry(attempt.Id, kind, gateEvent, NoticeSummary(gateEvent.Type), now));
        }
        else if (await AttemptTransitions.TryMoveAsync(db, attempt, target, now, gateEvent.Type, cancellationToken,
                     closedByEventId: target.IsTerminal() ? gateEvent.Id : null,
                     txRefId: target == AttemptStatus.Fulfilled ? gateEvent.TxRefId : null))
        {
            processed.Outcome = EventOutcome.Applied;
            db.Timeline.Add(EventEntry(attempt.Id, TimelineKind.EventAccepted, gateEvent, $"{gateEvent.Type} applied", now));
            change = new AttemptStatusChanged(attempt.Id, target);
        }
        else if (attempt.Status == target || !attempt.IsTerminal || !target.IsTerminal())
        {
            // Same outcome already recorded (e.g. cancelled by the API response first), or an event that
            // moves nothing: created after the session was attached, or arriving late after the close.
            processed.Outcome = EventOutcome.Recorded;
            db.Timeline.Add(EventEntry(attempt.Id, TimelineKind.EventAccepted, gateEvent, $"{gateEvent.Type} recorded; attempt already {attempt.Status.ToWire()}", now));
        }
        else
        {
            processed.Outcome = EventOutcome.IgnoredAfterTerminal;
            db.Timeline.Add(EventEntry(attempt.Id, TimelineKind.EventIgnoredAfterTerminal, gateEvent,
                $"{gateEvent.Type} ignored: attempt already {attempt.Status.ToWire()}; flagged for support", now));
            await AttemptTransitions.FlagForReviewAsync(db, attempt.Id, now, cancellationToken);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (IsUniqueViolation(ex))
        {
            // Another writer stored the same event id first (only possible without a write lock).
            await transaction.RollbackAsync(cancellationToken);
            return (new(IngestionStatus.Duplicate, "Already processed.", null, gateEvent.Id), null);
        }

        await transaction.CommitAsync(cancellationToken);
        return (new(IngestionStatus.Processed, "Processed.", processed.Outcome, gateEvent.Id), change);
    }

    /// <summary>
    /// By 0Gate session id; failing that by <c>user_reference</c> (our attempt id) for an attempt whose
    /// session was created but not yet attached, which the signed event then attaches.
    /// </summary>
    private static async Task<CheckoutAttempt?> FindAttemptAsync(PortalDbContext db, GateEvent gateEvent, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (gateEvent.SessionId is null)
        {
            return null;
        }

        var attempt = await db.Attempts.AsNoTracking().FirstOrDefaultAsync(a => a.GateSessionId == gateEvent.SessionId, cancellationToken);
        if (attempt is not null || !AttemptId.IsWellFormed(gateEvent.UserReference))
        {
            return attempt;
        }

        var unattached = await db.Attempts.AsNoTracking()
            .FirstOrDefaultAsync(a => a.Id == gateEvent.UserReference && a.GateSessionId == null, cancellationToken);
        if (unattached is null || await AttemptTransitions.AttachSessionAsync(db, unattached.Id, gateEvent.SessionId, now, cancellationToken) == 0)
        {
            return null;
        }

        db.Timeline.Add(new TimelineEntry(unattached.Id, TimelineKind.Note, "0Gate session attached from a signed event", now) { GateSessionId = gateEvent.SessionId });
        return unattached;
    }

    private static AttemptStatus? TargetOf(string type) => type switch
    {
        GateEventTypes.SessionCreated => AttemptStatus.RequiresAction,
        GateEventTypes.SessionCompleted => AttemptStatus.Fulfilled,
        GateEventTypes.SessionFailed => AttemptStatus.Failed,
        GateEventTypes.SessionExpired => AttemptStatus.Expired,
        GateEventTypes.SessionCancelled => AttemptStatus.Cancelled,
        _ => null,
    };

    private static bool KnownNotice(string type) => type is GateEventTypes.KycPackageAccepted or GateEventTypes.KycRequired;

    private static bool IsIntegrationEvent(string type) => type is GateEventTypes.QuotaWarning or GateEventTypes.QuotaExhausted;

    private static string NoticeSummary(string type) => type switch
    {
        GateEventTypes.KycRequired => "0Gate asked the customer to verify their identity",
        GateEventTypes.KycPackageAccepted => "0Gate accepted the pre-verified KYC package",
        _ => $"{type} recorded; the portal does not act on this type",
    };

    private static TimelineEntry EventEntry(string? attemptId, TimelineKind kind, GateEvent gateEvent, string summary, DateTimeOffset at) =>
        new(attemptId, kind, summary, at) { EventId = gateEvent.Id, EventType = gateEvent.Type, GateSessionId = gateEvent.SessionId };

    private async Task RecordRejectionAsync(string reason, ReadOnlyMemory<byte> body, long? skew, CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            db.RejectedDeliveries.Add(new RejectedDelivery(reason, body.Length, Convert.ToHexStringLower(SHA256.HashData(body.Span)), skew, time.GetUtcNow()));
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (Exception ex) when (IsStorageFailure(ex))
        {
            // The answer (400) does not depend on this record; the log line above still has it.
            logger.LogWarning(ex, "Could not record a rejected webhook delivery");
        }
    }

    private static bool IsStorageFailure(Exception ex) => ex is DbException or DbUpdateException or TimeoutException;

    private static bool IsUniqueViolation(DbUpdateException ex) =>
        ex.InnerException is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 19 };

    private static string? Clip(string? hint) => hint is null ? null : hint.Length <= 100 ? hint : hint[..100];

}
