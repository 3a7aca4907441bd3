using Microsoft.EntityFrameworkCore;
using Portal.Core.Audit;
using Portal.Core.Gate;
using Portal.Core.Persistence;
using Portal.Core.Webhooks;

namespace Portal.Core.Checkout;

public sealed record NewAttempt(
    string AccountId,
    CheckoutFlow Flow,
    decimal Amount,
    string Currency,
    string? TargetToken = null,
    string? TargetNetwork = null,
    string? WalletAddress = null,
    Guid? StartToken = null,
    SessionTarget? Target = null,
    string? CustomerEmail = null);

/// <summary>What a write did to an attempt, and the attempt as it now stands (null: no such attempt).</summary>
public sealed record AttemptUpdate(ChangeOutcome Outcome, CheckoutAttempt? Attempt);

/// <summary>
/// A staff member's change as it stands once the guarded method ran, inside the write: the status it was conditional
/// on, the attempt now, what the method did, and (for a 0Gate read or cancel) what 0Gate said, as on the timeline.
/// </summary>
public sealed record StaffChange(AttemptStatus Before, CheckoutAttempt Attempt, ChangeOutcome Outcome, DateTimeOffset At, string? GateSaid = null)
{
    public bool StatusChanged => Attempt.Status != Before;
}

/// <summary>
/// What a staff action writes with its change, in the same transaction: it may add a note to the attempt, and returns
/// the audit entry (or null for none).
/// </summary>
public delegate AuditEntry? StaffAudit(StaffChange change);

/// <summary>How a verified event was handled; <see cref="Duplicate"/> when its id had been processed before.</summary>
public sealed record EventApplication(EventOutcome? Outcome, bool Duplicate);

/// <summary>
/// Every change to a checkout attempt goes through here: the start form, the session attach, the browser's
/// return, cancels, reconciliation, support, webhooks and any sweeper. Each loads the attempt, applies one of its
/// guarded methods and saves through <see cref="StoreWriter"/> (with the processed-event row where there is one),
/// which announces the change once it is committed.
/// </summary>
public sealed class AttemptWriter(StoreWriter store, TimeProvider time)
{
    // Every delivery runs these two lookups: translated once per model, not per call.
    private static readonly CompiledQuery<Func<PortalDbContext, string, CancellationToken, Task<ProcessedEvent?>>> ProcessedEventById = new(() =>
        EF.CompileAsyncQuery((PortalDbContext db, string eventId, CancellationToken ct) => db.ProcessedEvents.AsNoTracking().FirstOrDefault(e => e.EventId == eventId)));

    private static readonly CompiledQuery<Func<PortalDbContext, string, CancellationToken, Task<CheckoutAttempt?>>> AttemptBySession = new(() =>
        EF.CompileAsyncQuery((PortalDbContext db, string sessionId, CancellationToken ct) => db.Attempts.FirstOrDefault(a => a.GateSessionId == sessionId)));

    /// <summary>
    /// Creates a <c>pending_session</c> attempt. With a <see cref="NewAttempt.StartToken"/>, a repeated submission
    /// of the same form returns the attempt the first one created (the unique index settles a race).
    /// </summary>
    public Task<CheckoutAttempt> CreateAsync(NewAttempt request, CancellationToken cancellationToken) =>
        store.WriteAsync(async (db, ct) =>
        {
            if (request.StartToken is { } token
                && await db.Attempts.AsNoTracking().FirstOrDefaultAsync(a => a.AccountId == request.AccountId && a.StartToken == token, ct) is { } earlier)
            {
                return earlier; // the same form submitted again
            }

            var attempt = new CheckoutAttempt(request.AccountId, request.Flow, request.Amount, request.Currency,
                request.TargetToken, request.TargetNetwork, request.WalletAddress, time.GetUtcNow(), request.StartToken, request.Target);
            attempt.NotifyByEmail(request.CustomerEmail);
            db.Attempts.Add(attempt);
            return attempt;
        }, cancellationToken);

    /// <summary>Loads the attempt, applies <paramref name="change"/> (given the attempt and the time now) and saves.</summary>
    /// <param name="audit">For a staff action: its note and audit entry, committed with the change (or not at all).</param>
    public Task<AttemptUpdate> UpdateAsync(
        string attemptId, Func<CheckoutAttempt, DateTimeOffset, ChangeOutcome> change, CancellationToken cancellationToken, StaffAudit? audit = null) =>
        WriteChangeAsync(attemptId, change, gateSaid: null, audit, cancellationToken);

    private Task<AttemptUpdate> WriteChangeAsync(
        string attemptId, Func<CheckoutAttempt, DateTimeOffset, ChangeOutcome> change, string? gateSaid, StaffAudit? audit, CancellationToken cancellationToken) =>
        store.WriteAsync(async (db, ct) =>
        {
            var attempt = await db.Attempts.FirstOrDefaultAsync(a => a.Id == attemptId, ct);
            if (attempt is null)
            {
                return new AttemptUpdate(ChangeOutcome.Unchanged, null);
            }

            var now = time.GetUtcNow();
            var before = attempt.Status;
            var outcome = change(attempt, now);
            if (audit?.Invoke(new StaffChange(before, attempt, outcome, now, gateSaid)) is { } entry)
            {
                db.AuditEntries.Add(entry);
            }

            return new AttemptUpdate(outcome, attempt);
        }, cancellationToken);

    /// <summary>
    /// The create call returned this session: record the call (it happened whether or not this write attaches the
    /// session, since the signed <c>gate_session.created</c> may have attached it a moment earlier) and attach it.
    /// </summary>
    public Task<AttemptUpdate> AttachSessionAsync(string attemptId, string sessionId, string? requestId, CancellationToken cancellationToken, DateTimeOffset? sessionExpiresAt = null) =>
        UpdateAsync(attemptId, (attempt, now) =>
        {
            attempt.Record(new TimelineEntry(attempt.Id, TimelineKind.GateRequest, "0Gate session created", now)
            {
                GateSessionId = sessionId,
                GateRequestId = requestId,
            });
            return attempt.AttachSession(sessionId, now, "0Gate session attached", sessionExpiresAt);
        }, cancellationToken);

    /// <summary>
    /// Applies a server-side read of the session (or the answer to a cancel): records what 0Gate said and, if the
    /// session is closed, closes the attempt the same way. An open session changes nothing.
    /// </summary>
    /// <param name="sweepAgainAt">For the sweeper: when to read the session again if 0Gate still has it open.</param>
    /// <param name="audit">For a staff action: its note and audit entry, committed with the change.</param>
    public Task<AttemptUpdate> ApplySessionAsync(
        string attemptId, GateResponse<GateSession> read, CloseCause cause, CancellationToken cancellationToken, DateTimeOffset? sweepAgainAt = null, StaffAudit? audit = null) =>
        WriteChangeAsync(attemptId, (attempt, now) =>
        {
            attempt.Record(new TimelineEntry(attempt.Id, TimelineKind.GateRequest, GateSaid(cause, read), now)
            {
                GateSessionId = read.Value.Id,
                GateRequestId = read.RequestId,
            });
            var change = GateOutcomes.ForSessionStatus(read.Value.Status) is { } outcome
                ? attempt.Close(outcome, cause with { TxRefId = read.Value.TxRefid }, now)
                : ChangeOutcome.Unchanged;
            if (sweepAgainAt is { } next)
            {
                attempt.ScheduleSweep(next);
            }

            return change;
        }, GateSaid(cause, read), audit, cancellationToken);

    /// <summary>Adds a support-safe line to the timeline (a 0Gate call that failed, a staff note).</summary>
    /// <param name="audit">A staff action that changed nothing (0Gate down): its audit entry, committed with the line.</param>
    public Task RecordAsync(TimelineEntry entry, CancellationToken cancellationToken, AuditEntry? audit = null) =>
        store.WriteAsync((db, _) =>
        {
            db.Timeline.Add(entry);
            if (audit is not null)
            {
                db.AuditEntries.Add(audit);
            }

            return Task.FromResult(true);
        }, cancellationToken);

    private static string GateSaid(CloseCause cause, GateResponse<GateSession> read) => $"{cause.Description}: {read.Value.Status}";

    /// <summary>Stores the receipt once; false when the attempt already has one.</summary>
    /// <param name="completesJob">The job that fetched it, marked done in the same transaction as the receipt.</param>
    public Task<bool> StoreReceiptAsync(AttemptReceipt receipt, string? requestId, CancellationToken cancellationToken, long? completesJob = null) =>
        store.WriteAsync(async (db, ct) =>
        {
            var now = time.GetUtcNow();
            if (completesJob is { } jobId && await db.Jobs.SingleOrDefaultAsync(j => j.Id == jobId, ct) is { } job)
            {
                job.Succeed(now);
            }

            if (await db.Receipts.AnyAsync(r => r.AttemptId == receipt.AttemptId, ct))
            {
                return false;
            }

            receipt.NoteFetchedBy(requestId);
            db.Receipts.Add(receipt);
            var attempt = await db.Attempts.SingleAsync(a => a.Id == receipt.AttemptId, ct);
            attempt.Record(new TimelineEntry(receipt.AttemptId, TimelineKind.GateRequest, "Receipt fetched from 0Gate", now)
            {
                GateRequestId = requestId,
            });
            attempt.NoteReceiptStored(now);
            return true;
        }, cancellationToken);

    /// <summary>
    /// A verified event, deduplicated on its signed id and applied in the same transaction as its processed-event
    /// row: a repeated id changes nothing but a "duplicate" line on the timeline.
    /// </summary>
    /// <param name="signature">The valid signature check of the delivery: when it was signed, and with which secret.</param>
    public Task<EventApplication> ApplyEventAsync(GateEvent gateEvent, SignatureCheck signature, CancellationToken cancellationToken, TimeSpan? storeWait = null) =>
        store.WriteAsync(async (db, ct) =>
        {
            var now = time.GetUtcNow();
            var seen = await ProcessedEventById.For(db)(db, gateEvent.Id, ct);
            if (seen is not null)
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
            db.ProcessedEvents.Add(new ProcessedEvent(gateEvent.Id, gateEvent.Type, now, signature.SignedAt ?? now)
            {
                SecretFingerprint = signature.SecretFingerprint,
                GateSessionId = gateEvent.SessionId,
                AttemptId = attempt?.Id,
                Outcome = outcome,
            });
            return new EventApplication(outcome, Duplicate: false);
        }, cancellationToken, storeWait);

    private static EventOutcome Apply(GateEvent gateEvent, GateSignal signal, CheckoutAttempt? attempt, PortalDbContext db, DateTimeOffset now)
    {
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
}
