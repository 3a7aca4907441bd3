using Microsoft.EntityFrameworkCore;
using Portal.Core.Attempts;
using Portal.Core.Gate;
using Portal.Core.Persistence;
using Portal.Core.Records;

namespace Portal.Core.Checkout;

/// <summary>
/// Every change to a checkout attempt goes through here: the start form, the session attach, the browser's
/// return, cancels, reconciliation, support and the sweeper (a verified 0Gate event is applied by
/// <see cref="WebhookIngestion"/>, the webhook's own slice, with the same aggregate methods and the same writer). Each loads the attempt, applies one of its
/// guarded methods and saves through <see cref="IStoreWriter"/> (with the processed-event row where there is one),
/// which announces the change once it is committed.
/// </summary>
public sealed class AttemptWriter(IStoreWriter store, TimeProvider time)
{
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
    /// <param name="completesJob">The job that fetched it (as claimed), marked done in the same transaction as the receipt.</param>
    /// <param name="asRead">
    /// The attempt as the fetch read it just before: the write starts from it instead of reading it again (its status is
    /// the concurrency token, so if it changed meanwhile the write runs again on a fresh read).
    /// </param>
    public Task<bool> StoreReceiptAsync(
        AttemptReceipt receipt, string? requestId, CancellationToken cancellationToken, BackgroundJob? completesJob = null, CheckoutAttempt? asRead = null)
    {
        var runs = 0;
        return store.WriteAsync(async (db, ct) =>
        {
            var now = time.GetUtcNow();
            if (completesJob is not null)
            {
                var job = completesJob.Copy(); // as claimed, whichever run of this write this is
                job.Succeed(now);
                db.Jobs.Update(job); // one UPDATE by id, in the same batch as the receipt
            }

            CheckoutAttempt attempt;
            if (++runs == 1 && asRead is { Id: var id } && id == receipt.AttemptId)
            {
                attempt = asRead;
                db.Attempts.Attach(attempt);
            }
            else
            {
                attempt = await db.Attempts.SingleAsync(a => a.Id == receipt.AttemptId, ct);
            }

            if (attempt.ReceiptStoredAt is not null)
            {
                return false;
            }

            // A receipt stored meanwhile by another fetch makes this insert a unique violation: the write runs again
            // on a fresh read, which sees it.
            receipt.NoteFetchedBy(requestId);
            db.Receipts.Add(receipt);
            attempt.Record(new TimelineEntry(receipt.AttemptId, TimelineKind.GateRequest, "Receipt fetched from 0Gate", now)
            {
                GateRequestId = requestId,
            });
            attempt.NoteReceiptStored(now);
            return true;
        }, cancellationToken);
    }
}
