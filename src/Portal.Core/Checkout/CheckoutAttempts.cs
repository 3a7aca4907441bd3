using Microsoft.EntityFrameworkCore;
using Portal.Core.Persistence;

namespace Portal.Core.Checkout;

public sealed record NewAttempt(
    string AccountId,
    CheckoutFlow Flow,
    decimal Amount,
    string Currency,
    string? TargetToken = null,
    string? TargetNetwork = null,
    string? WalletAddress = null,
    Guid? StartToken = null);

/// <summary>Reads and writes of checkout attempts, one context per operation.</summary>
public sealed class CheckoutAttempts(
    IDbContextFactory<PortalDbContext> dbFactory,
    CommittedTransitions transitions,
    TimeProvider time)
{
    /// <summary>
    /// Creates a <c>pending_session</c> attempt. With a <see cref="NewAttempt.StartToken"/>, a repeated
    /// submission of the same form returns the attempt the first one created.
    /// </summary>
    public async Task<CheckoutAttempt> CreateAsync(NewAttempt request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var attempt = new CheckoutAttempt(request.AccountId, request.Flow, request.Amount, request.Currency,
            request.TargetToken, request.TargetNetwork, request.WalletAddress, now, request.StartToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (request.StartToken is { } token
            && await db.Attempts.AsNoTracking().FirstOrDefaultAsync(a => a.AccountId == request.AccountId && a.StartToken == token, cancellationToken) is { } earlier)
        {
            return earlier; // the same form submitted again
        }

        db.Attempts.Add(attempt);
        db.Timeline.Add(new TimelineEntry(attempt.Id, TimelineKind.StateChanged, $"created as {AttemptStatus.PendingSession.ToWire()} ({request.Flow.ToWire()})", now)
        {
            ToStatus = AttemptStatus.PendingSession,
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return attempt;
        }
        catch (DbUpdateException ex) when (request.StartToken is not null && ex.InnerException is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 19 })
        {
            // Two submissions raced past the check above; the unique index kept one.
            await using var fresh = await dbFactory.CreateDbContextAsync(cancellationToken);
            return await fresh.Attempts.AsNoTracking()
                .SingleAsync(a => a.AccountId == request.AccountId && a.StartToken == request.StartToken, cancellationToken);
        }
    }

    /// <summary>
    /// Binds the 0Gate session and moves <c>pending_session → requires_action</c>. Idempotent: a second
    /// call with the same session (a retried start) changes nothing. Returns the current attempt.
    /// </summary>
    public async Task<CheckoutAttempt?> AttachSessionAsync(string attemptId, string sessionId, string? requestId, CancellationToken cancellationToken)
    {
        var (_, attempt) = await TransitionAsync(attemptId, AttemptStatus.RequiresAction, async (db, current, now) =>
        {
            // The call happened whether or not this write attaches the session: the signed
            // gate_session.created webhook may have attached it a moment earlier.
            await AttemptTransitions.AttachSessionAsync(db, attemptId, sessionId, now, cancellationToken);
            db.Timeline.Add(new TimelineEntry(attemptId, TimelineKind.GateRequest, "0Gate session created", now)
            {
                GateSessionId = sessionId,
                GateRequestId = requestId,
            });

            return await AttemptTransitions.TryMoveAsync(db, current, AttemptStatus.RequiresAction, now, "0Gate session attached", cancellationToken);
        }, cancellationToken);
        return attempt;
    }

    /// <summary>
    /// Applies one transition (conditional update + timeline) and announces it after commit.
    /// Returns whether this call moved the attempt, and the attempt as it now stands.
    /// </summary>
    public Task<(bool Moved, CheckoutAttempt? Attempt)> MoveAsync(
        string attemptId, AttemptStatus to, string cause, CancellationToken cancellationToken, string? txRefId = null) =>
        TransitionAsync(attemptId, to, (db, current, now) =>
            AttemptTransitions.TryMoveAsync(db, current, to, now, cause, cancellationToken, txRefId: txRefId), cancellationToken);

    /// <summary>Adds a support-safe line to an attempt's timeline (0Gate calls, customer actions, reconciliation).</summary>
    public async Task RecordAsync(TimelineEntry entry, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.Timeline.Add(entry);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<CheckoutAttempt>> ListForOwnerAsync(string accountId, int take, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Attempts.AsNoTracking()
            .Where(a => a.AccountId == accountId)
            .OrderByDescending(a => a.CreatedAt)
            .Take(take)
            .ToListAsync(cancellationToken);
    }

    public async Task<AttemptReceipt?> GetReceiptAsync(string attemptId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Receipts.AsNoTracking().FirstOrDefaultAsync(r => r.AttemptId == attemptId, cancellationToken);
    }

    /// <summary>Stores the receipt once; a second store for the same attempt is a no-op.</summary>
    public async Task<bool> StoreReceiptAsync(AttemptReceipt receipt, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Receipts.AnyAsync(r => r.AttemptId == receipt.AttemptId, cancellationToken))
        {
            return false;
        }

        db.Receipts.Add(receipt);
        db.Timeline.Add(new TimelineEntry(receipt.AttemptId, TimelineKind.GateRequest, "Receipt fetched from 0Gate", time.GetUtcNow()));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException ex) when (ex.InnerException is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 19 })
        {
            return false;
        }
    }

    public async Task<CheckoutAttempt?> GetAsync(string attemptId, CancellationToken cancellationToken)
    {
        if (!AttemptId.IsWellFormed(attemptId))
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Attempts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == attemptId, cancellationToken);
    }

    /// <summary>The attempt if <paramref name="accountId"/> owns it; otherwise null, exactly like a missing one.</summary>
    public async Task<CheckoutAttempt?> GetForOwnerAsync(string attemptId, string accountId, CancellationToken cancellationToken)
    {
        var attempt = await GetAsync(attemptId, cancellationToken);
        return attempt is not null && string.Equals(attempt.AccountId, accountId, StringComparison.Ordinal) ? attempt : null;
    }

    public async Task<IReadOnlyList<TimelineEntry>> GetTimelineAsync(string attemptId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Timeline.AsNoTracking().Where(e => e.AttemptId == attemptId).OrderBy(e => e.Id).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// One write transaction around <paramref name="apply"/> (given the attempt as read inside it); when
    /// it reports a move to <paramref name="to"/>, the change is announced after the commit.
    /// </summary>
    private async Task<(bool Moved, CheckoutAttempt? Attempt)> TransitionAsync(
        string attemptId, AttemptStatus to, Func<PortalDbContext, CheckoutAttempt, DateTimeOffset, Task<bool>> apply, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        bool moved;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var attempt = await db.Attempts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == attemptId, cancellationToken);
            if (attempt is null)
            {
                return (false, null);
            }

            moved = await apply(db, attempt, now);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        if (moved)
        {
            transitions.Announce(new AttemptStatusChanged(attemptId, to));
        }

        return (moved, await GetAsync(attemptId, cancellationToken));
    }
}
