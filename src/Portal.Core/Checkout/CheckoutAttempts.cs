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
    string? WalletAddress = null);

/// <summary>Reads and writes of checkout attempts, one context per operation.</summary>
public sealed class CheckoutAttempts(
    IDbContextFactory<PortalDbContext> dbFactory,
    AttemptStatusNotifier notifier,
    TimeProvider time)
{
    public async Task<CheckoutAttempt> CreateAsync(NewAttempt request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var attempt = new CheckoutAttempt(request.AccountId, request.Flow, request.Amount, request.Currency,
            request.TargetToken, request.TargetNetwork, request.WalletAddress, now);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.Attempts.Add(attempt);
        db.Timeline.Add(new TimelineEntry(attempt.Id, TimelineKind.StateChanged, $"created as {AttemptStatus.PendingSession.ToWire()} ({request.Flow.ToWire()})", now)
        {
            ToStatus = AttemptStatus.PendingSession,
        });
        await db.SaveChangesAsync(cancellationToken);
        return attempt;
    }

    /// <summary>
    /// Binds the 0Gate session and moves <c>pending_session → requires_action</c>. Idempotent: a second
    /// call with the same session (a retried start) changes nothing. Returns the current attempt.
    /// </summary>
    public async Task<CheckoutAttempt?> AttachSessionAsync(string attemptId, string sessionId, string? requestId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        bool moved;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var attempt = await db.Attempts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == attemptId, cancellationToken);
            if (attempt is null)
            {
                return null;
            }

            if (await AttemptTransitions.AttachSessionAsync(db, attemptId, sessionId, now, cancellationToken) == 1)
            {
                db.Timeline.Add(new TimelineEntry(attemptId, TimelineKind.GateRequest, "0Gate session created", now)
                {
                    GateSessionId = sessionId,
                    GateRequestId = requestId,
                });
            }

            moved = await AttemptTransitions.TryMoveAsync(db, attempt, AttemptStatus.RequiresAction, now, "0Gate session attached", cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        if (moved)
        {
            notifier.Publish(new AttemptStatusChanged(attemptId, AttemptStatus.RequiresAction));
        }

        return await GetAsync(attemptId, cancellationToken);
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
}
