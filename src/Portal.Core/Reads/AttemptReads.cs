using Microsoft.EntityFrameworkCore;
using Portal.Core.Attempts;
using Portal.Core.Persistence;

namespace Portal.Core.Reads;

/// <summary>Reads of checkout attempts, one context per operation. Writes go through <see cref="AttemptWriter"/>.</summary>
public sealed class AttemptReads(IDbContextFactory<PortalDbContext> dbFactory)
{
    public async Task<IReadOnlyList<CheckoutAttempt>> ListForOwnerAsync(string accountId, int take, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Attempts.AsNoTracking()
            .Where(a => a.AccountId == accountId)
            .OrderByDescending(a => a.CreatedAt)
            .Take(take)
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// One page of the owner's history, newest first (ties by id, so pages never overlap), optionally only one status
    /// and one kind; with the total, so the page can offer every other page.
    /// </summary>
    public async Task<OwnerAttemptPage> PageForOwnerAsync(
        string accountId, AttemptStatus? status, CheckoutFlow? flow, int page, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageSize);
        page = Math.Max(1, page);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var mine = db.Attempts.AsNoTracking().Where(a => a.AccountId == accountId);
        if (status is { } onlyStatus)
        {
            mine = mine.Where(a => a.Status == onlyStatus);
        }

        if (flow is { } onlyFlow)
        {
            mine = mine.Where(a => a.Flow == onlyFlow);
        }

        var total = await mine.CountAsync(cancellationToken);
        var items = await mine
            .OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id)
            .Skip((page - 1) * pageSize)
            .Take(pageSize)
            .ToListAsync(cancellationToken);
        return new OwnerAttemptPage(items, total, page, pageSize);
    }

    public async Task<AttemptReceipt?> GetReceiptAsync(string attemptId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Receipts.AsNoTracking().FirstOrDefaultAsync(r => r.AttemptId == attemptId, cancellationToken);
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
