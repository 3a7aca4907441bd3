using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Core.Audit;
using Portal.Core.Checkout;
using Portal.Core.Gate;
using Portal.Core.Persistence;
using Portal.Core.Webhooks;

namespace Portal.Core.Support;

/// <summary>Which configured webhook secret verified an event: its fingerprint (never the secret) and where it sits in the configuration.</summary>
public sealed record EventVerification(string Fingerprint, string Secret);

/// <summary>An attempt with its full timeline, what surrounds it, and what support may do with it now.</summary>
public sealed record AttemptDetail(CheckoutAttempt Attempt, IReadOnlyList<TimelineEntry> Timeline)
{
    /// <summary>Per event id on the timeline: the secret that verified it (events processed before fingerprints were kept have none).</summary>
    public IReadOnlyDictionary<string, EventVerification> Verifications { get; init; } = new Dictionary<string, EventVerification>();

    public AttemptReceipt? Receipt { get; init; }

    /// <summary>What staff did to this attempt, newest first.</summary>
    public IReadOnlyList<AuditEntry> Audit { get; init; } = [];

    /// <summary><c>test</c> or <c>live</c>: as recorded on the attempt, else the current configuration's.</summary>
    public string Environment => Attempt.GateEnvironment ?? CurrentEnvironment;

    public string CurrentEnvironment { get; init; } = "test";

    /// <summary>
    /// Reading the 0Gate session helps while the attempt is open, and as a re-check of a flagged one.
    /// Without a session there is nothing at 0Gate to read.
    /// </summary>
    public bool CanReconcile => Attempt.GateSessionId is not null && (!Attempt.IsTerminal || Attempt.NeedsReview);

    public bool CanResolveReview => Attempt.NeedsReview;

    /// <summary>Only an open attempt has a 0Gate session worth cancelling.</summary>
    public bool CanCancelSession => SupportCanceller.CanCancel(Attempt);
}

public enum ResolveReviewOutcome
{
    Resolved,

    /// <summary>The flag was already clear: a second click, or a colleague was quicker.</summary>
    AlreadyResolved,

    NoteRequired,

    NotFound,
}

/// <summary>
/// Support's read side: the filtered, sorted, paged list (and its CSV stream), prefix search over every id kind, the
/// "needs review", "confirming too long" and "abandoned" views, an attempt's detail, and clearing a review flag.
/// One context per operation; nothing here decides a money state.
/// </summary>
public sealed class SupportAttempts(
    IDbContextFactory<PortalDbContext> dbFactory, AttemptWriter writer, IOptions<SweeperOptions> options, IOptions<GateOptions> gateOptions, TimeProvider time)
{
    public SweeperOptions Thresholds => options.Value;

    public const int DefaultListSize = 50;

    /// <summary>The most ids of one kind a search prefix collects; beyond that the caller is asked to type more.</summary>
    public const int SearchCap = 1000;

    public const int MaxPageSize = 200;

    public const int NoteMaxLength = 300;

    private List<string>? _secretFingerprints;

    /// <summary>
    /// Case-insensitive prefix match (after trimming) on attempt id, 0Gate session id, tx refid, event id (any event
    /// processed for, or recorded on, the attempt) or customer account id. Newest first.
    /// </summary>
    public async Task<IReadOnlyList<AttemptMatch>> SearchAsync(string? query, CancellationToken cancellationToken, int take = DefaultListSize)
    {
        var term = SearchKeys.Normalize(query, out _);
        if (term is null)
        {
            return [];
        }

        var page = await QueryAsync(new AttemptFilter { Search = term }, AttemptSort.NewestFirst, 0, take, cancellationToken);
        return [.. page.Rows.Select(r => new AttemptMatch(r.Attempt, r.MatchedOn!.Value))];
    }

    /// <summary>One page of the filtered list, sorted (ties broken by id, so pages never overlap), with the total.</summary>
    public async Task<AttemptPage> QueryAsync(AttemptFilter filter, AttemptSort sort, int page, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(sort);
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        page = Math.Max(page, 0);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (query, hits) = await FilteredAsync(db, filter, cancellationToken);
        if (query is null)
        {
            return new([], 0, hits.Truncated);
        }

        var total = await query.CountAsync(cancellationToken);
        var attempts = await Sorted(query, sort).Skip(page * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return new([.. attempts.Select(a => new AttemptRow(a, hits.MatchOf(a.Id)))], total, hits.Truncated);
    }

    /// <summary>Every matching attempt, in order, read as the caller consumes them (the CSV export): one context for the stream.</summary>
    public async IAsyncEnumerable<AttemptRow> StreamAsync(AttemptFilter filter, AttemptSort sort, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(sort);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (query, hits) = await FilteredAsync(db, filter, cancellationToken);
        if (query is null)
        {
            yield break;
        }

        // The receipt rides along (a left join on its key), so each row is read once.
        var rows = from attempt in Sorted(query, sort)
                   join receipt in db.Receipts.AsNoTracking() on attempt.Id equals receipt.AttemptId into receipts
                   from receipt in receipts.DefaultIfEmpty()
                   select new { attempt, receipt };
        await foreach (var row in rows.AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            yield return new AttemptRow(row.attempt, hits.MatchOf(row.attempt.Id), row.receipt);
        }
    }

    public async Task<int> CountAsync(AttemptFilter filter, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (query, _) = await FilteredAsync(db, filter, cancellationToken);
        return query is null ? 0 : await query.CountAsync(cancellationToken);
    }

    /// <summary>
    /// Ids of the attempts matching <paramref name="filter"/> that a reconcile can read (a 0Gate session, and open or
    /// flagged), oldest first, at most <paramref name="take"/>; and how many match in all.
    /// </summary>
    public async Task<(IReadOnlyList<string> Ids, int Total)> ReconcilableAsync(AttemptFilter filter, int take, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (query, _) = await FilteredAsync(db, filter, cancellationToken);
        if (query is null)
        {
            return ([], 0);
        }

        query = query.Where(Reconcilable);
        var total = await query.CountAsync(cancellationToken);
        var ids = take <= 0 ? [] : await query.OrderBy(a => a.CreatedAt).ThenBy(a => a.Id).Select(a => a.Id).Take(take).ToListAsync(cancellationToken);
        return (ids, total);
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

    /// <summary>The attempt alone (no timeline), or null for an unknown or malformed id.</summary>
    public async Task<CheckoutAttempt?> GetAsync(string? attemptId, CancellationToken cancellationToken)
    {
        var id = attemptId?.Trim();
        if (string.IsNullOrEmpty(id) || !AttemptId.IsWellFormed(id))
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Attempts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
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
        var eventIds = timeline.Where(e => e.EventId is not null).Select(e => e.EventId!).Distinct().ToList();
        var fingerprints = eventIds.Count == 0
            ? []
            : await db.ProcessedEvents.AsNoTracking()
                .Where(e => eventIds.Contains(e.EventId) && e.SecretFingerprint != null)
                .Select(e => new { e.EventId, e.SecretFingerprint })
                .ToListAsync(cancellationToken);
        var receipt = await db.Receipts.AsNoTracking().FirstOrDefaultAsync(r => r.AttemptId == id, cancellationToken);
        var audit = await db.AuditEntries.AsNoTracking().Where(e => e.AttemptId == id).OrderByDescending(e => e.Id).Take(100).ToListAsync(cancellationToken);
        return new AttemptDetail(attempt, timeline)
        {
            Verifications = fingerprints.ToDictionary(f => f.EventId, f => Verification(f.SecretFingerprint!), StringComparer.Ordinal),
            Receipt = receipt,
            Audit = audit,
            CurrentEnvironment = gateOptions.Value.Environment,
        };
    }

    /// <summary>
    /// Clears the review flag with a timeline note naming the staff member, and the audit entry, in one transaction.
    /// A note is required: the log says why the conflict was acceptable.
    /// </summary>
    public async Task<ResolveReviewOutcome> ResolveReviewAsync(string attemptId, StaffMember staff, string? note, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        var text = note?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length > NoteMaxLength)
        {
            return ResolveReviewOutcome.NoteRequired;
        }

        if (!AttemptId.IsWellFormed(attemptId))
        {
            return ResolveReviewOutcome.NotFound;
        }

        var update = await writer.UpdateAsync(attemptId, (attempt, now) => attempt.ResolveReview(staff.DisplayName, text, now), cancellationToken,
            audit: change => new AuditEntry(staff, AuditAction.ResolveReview, change.Attempt.Id,
                change.Outcome == ChangeOutcome.Moved ? AuditResult.Changed : AuditResult.Unchanged,
                change.Outcome == ChangeOutcome.Moved ? "review flag cleared" : "the review flag was already clear",
                change.At, reason: text, before: change.Outcome == ChangeOutcome.Moved ? "needs review" : "not flagged", after: "not flagged"));
        return update switch
        {
            { Attempt: null } => ResolveReviewOutcome.NotFound,
            { Outcome: ChangeOutcome.Moved } => ResolveReviewOutcome.Resolved,
            _ => ResolveReviewOutcome.AlreadyResolved,
        };
    }

    /// <summary>The attempt can be read at 0Gate and may change: a session, and open or flagged.</summary>
    internal static readonly Expression<Func<CheckoutAttempt, bool>> Reconcilable = a =>
        a.GateSessionId != null
        && (a.NeedsReview || a.Status == AttemptStatus.PendingSession || a.Status == AttemptStatus.RequiresAction || a.Status == AttemptStatus.Processing);

    private EventVerification Verification(string fingerprint)
    {
        var configured = _secretFingerprints ??= [.. gateOptions.Value.WebhookSecrets.Select(WebhookSecretFingerprint.Of)];
        var index = configured.IndexOf(fingerprint);
        var which = index switch
        {
            0 => "the current secret",
            > 0 => $"a previous secret (Gate:WebhookSecrets:{index})",
            _ => "a secret no longer configured",
        };
        return new(fingerprint, which);
    }

    /// <summary>The filtered query, or null when a search matched nothing (no need to ask the store again).</summary>
    private async Task<(IQueryable<CheckoutAttempt>? Query, SearchHits Hits)> FilteredAsync(PortalDbContext db, AttemptFilter filter, CancellationToken cancellationToken)
    {
        var query = db.Attempts.AsNoTracking();
        var hits = SearchHits.None;
        if (filter.Search is not null)
        {
            var term = SearchKeys.Normalize(filter.Search, out _);
            if (term is null)
            {
                return (null, hits);
            }

            hits = await FindByPrefixAsync(db, term, cancellationToken);
            if (hits.Matches.Count == 0)
            {
                return (null, hits);
            }

            var ids = hits.Matches.Keys.ToList();
            query = query.Where(a => ids.Contains(a.Id));
        }

        if (filter.Statuses.Count > 0)
        {
            var statuses = filter.Statuses.Distinct().ToList();
            query = query.Where(a => statuses.Contains(a.Status));
        }

        if (filter.Flow is { } flow)
        {
            query = query.Where(a => a.Flow == flow);
        }

        if (filter.NeedsReview is { } needsReview)
        {
            query = query.Where(a => a.NeedsReview == needsReview);
        }

        if (filter.CreatedFrom is { } from)
        {
            query = query.Where(a => a.CreatedAt >= from);
        }

        if (filter.CreatedTo is { } to)
        {
            query = query.Where(a => a.CreatedAt < to);
        }

        query = filter.Stuck switch
        {
            StuckView.ConfirmingTooLong => query.Where(ConfirmingTooLong()),
            StuckView.Abandoned => query.Where(Abandoned()),
            _ => query,
        };

        return (query, hits);
    }

    /// <summary>
    /// Every id kind, each an index range scan on its folded column, at most <see cref="SearchCap"/> of each. An attempt
    /// matched on several kinds reports the first: attempt id, session, tx refid, event, account.
    /// </summary>
    private static async Task<SearchHits> FindByPrefixAsync(PortalDbContext db, string term, CancellationToken cancellationToken)
    {
        var matches = new Dictionary<string, SearchMatch>(StringComparer.Ordinal);
        var truncated = false;

        async Task AddAsync(IQueryable<string?> ids, SearchMatch kind)
        {
            var found = await ids.Take(SearchCap + 1).ToListAsync(cancellationToken);
            truncated |= found.Count > SearchCap;
            foreach (var id in found.Take(SearchCap).OfType<string>())
            {
                matches.TryAdd(id, kind);
            }
        }

        // Each kind in the order of its folded key (the order its index already holds, so the scan still stops at the
        // cap): a capped search lists the same ids every time.
        Task AddKeyAsync<T>(IQueryable<T> rows, Expression<Func<T, string?>> key, Expression<Func<T, string?>> attemptId, SearchMatch kind)
            where T : class =>
            AddAsync(rows.AsNoTracking().Where(SearchKeys.StartsWith(key, term)).OrderBy(SearchKeys.Folded(key)).Select(attemptId), kind);

        await AddKeyAsync(db.Attempts, a => a.Id, a => a.Id, SearchMatch.AttemptId);
        await AddKeyAsync(db.Attempts, a => a.GateSessionId, a => a.Id, SearchMatch.GateSessionId);
        await AddKeyAsync(db.Attempts, a => a.TxRefId, a => a.Id, SearchMatch.TxRefId);

        // An event id may have been processed for the attempt, or only appear on its timeline (duplicates, late events).
        await AddKeyAsync(db.ProcessedEvents.Where(e => e.AttemptId != null), e => e.EventId, e => e.AttemptId, SearchMatch.EventId);
        await AddAsync(db.Timeline.AsNoTracking().Where(SearchKeys.StartsWith<TimelineEntry>(e => e.EventId, term))
            .Where(e => e.AttemptId != null).Select(e => e.AttemptId).Distinct().OrderBy(id => id), SearchMatch.EventId);

        await AddKeyAsync(db.Attempts, a => a.AccountId, a => a.Id, SearchMatch.AccountId);

        // "Where is my money?": what the customer quotes from their wallet, the explorer or their bank statement.
        await AddKeyAsync(db.Receipts, r => r.WalletAddress, r => r.AttemptId, SearchMatch.WalletAddress);
        await AddKeyAsync(db.Receipts, r => r.TransactionHash, r => r.AttemptId, SearchMatch.TransactionHash);
        await AddKeyAsync(db.Receipts, r => r.LocalRailTransactionId, r => r.AttemptId, SearchMatch.LocalRailTransactionId);
        return new SearchHits(matches, truncated);
    }

    private static IQueryable<CheckoutAttempt> Sorted(IQueryable<CheckoutAttempt> query, AttemptSort sort) => (sort.Field, sort.Descending) switch
    {
        (AttemptSortField.UpdatedAt, false) => query.OrderBy(a => a.UpdatedAt).ThenBy(a => a.Id),
        (AttemptSortField.UpdatedAt, true) => query.OrderByDescending(a => a.UpdatedAt).ThenByDescending(a => a.Id),
        (AttemptSortField.Status, false) => query.OrderBy(a => a.Status).ThenByDescending(a => a.CreatedAt).ThenBy(a => a.Id),
        (AttemptSortField.Status, true) => query.OrderByDescending(a => a.Status).ThenByDescending(a => a.CreatedAt).ThenBy(a => a.Id),
        (AttemptSortField.Flow, false) => query.OrderBy(a => a.Flow).ThenByDescending(a => a.CreatedAt).ThenBy(a => a.Id),
        (AttemptSortField.Flow, true) => query.OrderByDescending(a => a.Flow).ThenByDescending(a => a.CreatedAt).ThenBy(a => a.Id),
        (_, false) => query.OrderBy(a => a.CreatedAt).ThenBy(a => a.Id),
        _ => query.OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id),
    };

    private Expression<Func<CheckoutAttempt, bool>> ConfirmingTooLong()
    {
        var cutoff = time.GetUtcNow() - options.Value.ConfirmingTooLongAfter;
        return a => a.Status == AttemptStatus.Processing && a.UpdatedAt < cutoff;
    }

    private Expression<Func<CheckoutAttempt, bool>> Abandoned()
    {
        var cutoff = time.GetUtcNow() - options.Value.AbandonedAfter;
        return a => (a.Status == AttemptStatus.PendingSession || a.Status == AttemptStatus.RequiresAction) && a.UpdatedAt < cutoff;
    }

    private sealed record SearchHits(IReadOnlyDictionary<string, SearchMatch> Matches, bool Truncated)
    {
        public static readonly SearchHits None = new(new Dictionary<string, SearchMatch>(), false);

        public SearchMatch? MatchOf(string attemptId) => Matches.TryGetValue(attemptId, out var kind) ? kind : null;
    }
}
