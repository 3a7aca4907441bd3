using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Core.Checkout;
using Portal.Core.Persistence;

namespace Portal.Core.Support;

/// <summary>Which id a support search matched.</summary>
public enum SearchMatch
{
    AttemptId,
    GateSessionId,
    TxRefId,
    EventId,
    AccountId,
}

public sealed record AttemptMatch(CheckoutAttempt Attempt, SearchMatch MatchedOn);

/// <summary>An attempt with its full timeline, and what support may do with it now.</summary>
public sealed record AttemptDetail(CheckoutAttempt Attempt, IReadOnlyList<TimelineEntry> Timeline)
{
    /// <summary>
    /// Reading the 0Gate session helps while the attempt is open, and as a re-check of a flagged one.
    /// Without a session there is nothing at 0Gate to read.
    /// </summary>
    public bool CanReconcile => Attempt.GateSessionId is not null && (!Attempt.IsTerminal || Attempt.NeedsReview);

    public bool CanResolveReview => Attempt.NeedsReview;
}

/// <summary>
/// Support's read side: exact-id search, the "needs review", "confirming too long", "abandoned" and "recent" lists, and clearing
/// a review flag. One context per operation; nothing here decides a money state.
/// </summary>
public sealed class SupportAttempts(IDbContextFactory<PortalDbContext> dbFactory, AttemptWriter writer, IOptions<SweeperOptions> options, TimeProvider time)
{
    public SweeperOptions Thresholds => options.Value;

    public const int DefaultListSize = 50;

    /// <summary>
    /// Exact match (after trimming) on attempt id, 0Gate session id, tx refid, event id (the closing
    /// event, or any event recorded for the attempt) or customer account id. Newest first.
    /// </summary>
    public async Task<IReadOnlyList<AttemptMatch>> SearchAsync(string? query, CancellationToken cancellationToken, int take = DefaultListSize)
    {
        var term = query?.Trim();
        if (string.IsNullOrEmpty(term) || term.Length > 200)
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var matches = new Dictionary<string, AttemptMatch>(StringComparer.Ordinal);

        void Add(IEnumerable<CheckoutAttempt> found, SearchMatch kind)
        {
            foreach (var attempt in found)
            {
                matches.TryAdd(attempt.Id, new AttemptMatch(attempt, kind));
            }
        }

        var attempts = db.Attempts.AsNoTracking();
        Add(await attempts.Where(a => a.Id == term).ToListAsync(cancellationToken), SearchMatch.AttemptId);
        Add(await attempts.Where(a => a.GateSessionId == term).ToListAsync(cancellationToken), SearchMatch.GateSessionId);
        Add(await attempts.Where(a => a.TxRefId == term).ToListAsync(cancellationToken), SearchMatch.TxRefId);

        // An event id may have closed the attempt, been processed for it, or only appear on its timeline (duplicates, late events).
        var byEvent = db.ProcessedEvents.Where(e => e.EventId == term && e.AttemptId != null).Select(e => e.AttemptId)
            .Concat(db.Timeline.Where(e => e.EventId == term && e.AttemptId != null).Select(e => e.AttemptId));
        Add(await attempts.Where(a => a.ClosedByEventId == term || byEvent.Contains(a.Id)).ToListAsync(cancellationToken), SearchMatch.EventId);

        Add(await attempts.Where(a => a.AccountId == term).OrderByDescending(a => a.CreatedAt).Take(take).ToListAsync(cancellationToken), SearchMatch.AccountId);

        return [.. matches.Values.OrderByDescending(m => m.Attempt.CreatedAt).Take(take)];
    }

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
        return await ConfirmingTooLong(db).OrderBy(a => a.UpdatedAt).Take(take).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Waiting for the customer (never returned from 0Gate) for longer than <see cref="SweeperOptions.AbandonedAfter"/>:
    /// ordinary abandoned checkouts. They close when their 0Gate session expires. Oldest first.
    /// </summary>
    public async Task<IReadOnlyList<CheckoutAttempt>> AbandonedAsync(CancellationToken cancellationToken, int take = DefaultListSize)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await Abandoned(db).OrderBy(a => a.UpdatedAt).Take(take).ToListAsync(cancellationToken);
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
        return await ConfirmingTooLong(db).CountAsync(cancellationToken);
    }

    public async Task<int> CountAbandonedAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await Abandoned(db).CountAsync(cancellationToken);
    }

    public async Task<AttemptDetail?> GetDetailAsync(string? attemptId, CancellationToken cancellationToken)
    {
        var id = attemptId?.Trim();
        if (string.IsNullOrEmpty(id) || !AttemptId.IsWellFormed(id))
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var attempt = await db.Attempts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (attempt is null)
        {
            return null;
        }

        var timeline = await db.Timeline.AsNoTracking().Where(e => e.AttemptId == id).OrderBy(e => e.Id).ToListAsync(cancellationToken);
        return new AttemptDetail(attempt, timeline);
    }

    /// <summary>
    /// Clears the review flag with a timeline note naming the staff member. Returns false when the flag was already
    /// clear (or the attempt does not exist): a second click, or a colleague was quicker.
    /// </summary>
    public async Task<bool> ResolveReviewAsync(string attemptId, string staffName, string? note, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(staffName);
        var update = await writer.UpdateAsync(attemptId, (attempt, now) => attempt.ResolveReview(staffName, note, now), cancellationToken);
        return update.Outcome == ChangeOutcome.Moved;
    }

    private IQueryable<CheckoutAttempt> ConfirmingTooLong(PortalDbContext db)
    {
        var cutoff = time.GetUtcNow() - options.Value.ConfirmingTooLongAfter;
        return db.Attempts.AsNoTracking().Where(a => a.Status == AttemptStatus.Processing && a.UpdatedAt < cutoff);
    }

    private IQueryable<CheckoutAttempt> Abandoned(PortalDbContext db)
    {
        var cutoff = time.GetUtcNow() - options.Value.AbandonedAfter;
        return db.Attempts.AsNoTracking()
            .Where(a => (a.Status == AttemptStatus.PendingSession || a.Status == AttemptStatus.RequiresAction) && a.UpdatedAt < cutoff);
    }

}
