using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Core.Attempts;
using Portal.Core.Persistence;

namespace Portal.Core.Reads;

/// <summary>
/// Support's quick views, "needs review", "confirming too long" and "abandoned" (and the most recent attempts), each
/// with its count for the list's tabs and the admin overview. One context per operation.
/// </summary>
public sealed class SupportViews(IDbContextFactory<PortalDbContext> dbFactory, IOptions<SweeperOptions> options, TimeProvider time)
{
    public const int DefaultListSize = 50;

    /// <summary>When an attempt counts as confirming too long or abandoned (the sweeper's thresholds).</summary>
    public SweeperOptions Thresholds => options.Value;

    public async Task<IReadOnlyList<CheckoutAttempt>> NeedsReviewAsync(CancellationToken cancellationToken, int take = DefaultListSize)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Attempts.AsNoTracking()
            .Where(a => a.NeedsReview)
            .OrderByDescending(a => a.UpdatedAt)
            .Take(take)
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// <c>processing</c> for longer than <see cref="SweeperOptions.ConfirmingTooLongAfter"/>: the customer finished,
    /// 0Gate has not confirmed. The sweeper reads these from 0Gate; support can reconcile at once. Oldest first.
    /// </summary>
    public async Task<IReadOnlyList<CheckoutAttempt>> ConfirmingTooLongAsync(CancellationToken cancellationToken, int take = DefaultListSize)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Attempts.AsNoTracking().Where(ConfirmingTooLong()).OrderBy(a => a.UpdatedAt).Take(take).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Waiting for the customer (never returned from 0Gate) for longer than <see cref="SweeperOptions.AbandonedAfter"/>:
    /// ordinary abandoned checkouts. They close when their 0Gate session expires. Oldest first.
    /// </summary>
    public async Task<IReadOnlyList<CheckoutAttempt>> AbandonedAsync(CancellationToken cancellationToken, int take = DefaultListSize)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Attempts.AsNoTracking().Where(Abandoned()).OrderBy(a => a.UpdatedAt).Take(take).ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<CheckoutAttempt>> RecentAsync(CancellationToken cancellationToken, int take = DefaultListSize)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Attempts.AsNoTracking().OrderByDescending(a => a.CreatedAt).Take(take).ToListAsync(cancellationToken);
    }

    public async Task<int> CountNeedsReviewAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Attempts.CountAsync(a => a.NeedsReview, cancellationToken);
    }

    public async Task<int> CountConfirmingTooLongAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Attempts.CountAsync(ConfirmingTooLong(), cancellationToken);
    }

    public async Task<int> CountAbandonedAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Attempts.CountAsync(Abandoned(), cancellationToken);
    }

    private Expression<Func<CheckoutAttempt, bool>> ConfirmingTooLong() => StuckAttempts.ConfirmingTooLong(options.Value, time.GetUtcNow());

    private Expression<Func<CheckoutAttempt, bool>> Abandoned() => StuckAttempts.Abandoned(options.Value, time.GetUtcNow());
}
