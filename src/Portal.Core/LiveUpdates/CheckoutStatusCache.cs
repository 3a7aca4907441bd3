using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Portal.Core.Attempts;
using Portal.Core.Persistence;
using Portal.Core.Reads;

namespace Portal.Core.LiveUpdates;

/// <summary>
/// What <c>GET /api/checkout/{id}/status</c> answers, kept in memory between committed changes: every open outcome
/// page polls every 3 s, and the answer changes only when the attempt does. An entry is dropped the moment a change of
/// its attempt is announced (after the commit, before the writer's caller hears back), so a poll never reads an older
/// state than the one a webhook was acknowledged for.
/// <para>
/// The cache is only trusted while every change reaches this instance: always with SQLite (every write is local);
/// with PostgreSQL only while the change listener is connected (a gap in LISTEN could hide another instance's change,
/// so reads go to the store until it is back, and the cache starts empty again).
/// </para>
/// </summary>
public sealed class CheckoutStatusCache : IDisposable
{
    /// <summary>An upper bound on staleness should an announcement ever be lost; polls are every 3 s.</summary>
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    private static readonly CompiledQuery<Func<PortalDbContext, string, CancellationToken, Task<CheckoutAttempt?>>> AttemptById = new(() =>
        EF.CompileAsyncQuery((PortalDbContext db, string attemptId, CancellationToken ct) => db.Attempts.AsNoTracking().FirstOrDefault(a => a.Id == attemptId)));

    private readonly IDbContextFactory<PortalDbContext> _dbFactory;
    private readonly IDisposable _subscription;
    private MemoryCache _entries = NewEntries();
    private long _changes;
    private volatile bool _hearsEveryChange;

    public CheckoutStatusCache(IDbContextFactory<PortalDbContext> dbFactory, AttemptStatusNotifier notifier, StoreSettings settings)
    {
        _dbFactory = dbFactory;
        _hearsEveryChange = settings.Provider == StoreProvider.Sqlite;
        _subscription = notifier.SubscribeAll(change => Forget(change.AttemptId));
    }

    /// <summary>The status of <paramref name="attemptId"/> if <paramref name="accountId"/> owns it; otherwise null, like a missing one.</summary>
    public async Task<CheckoutStatusView?> GetForOwnerAsync(string attemptId, string accountId, CancellationToken cancellationToken)
    {
        if (!AttemptId.IsWellFormed(attemptId))
        {
            return null;
        }

        var entries = _entries;
        if (!_hearsEveryChange || !entries.TryGetValue(attemptId, out Owned? owned))
        {
            // Only an answer read with no change announced meanwhile may be kept: a change committed during the read
            // could otherwise be hidden behind the older state for the entry's lifetime.
            var changesBefore = Interlocked.Read(ref _changes);
            owned = await ReadAsync(attemptId, cancellationToken);
            if (owned is not null && _hearsEveryChange && Interlocked.Read(ref _changes) == changesBefore)
            {
                entries.Set(attemptId, owned, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = Lifetime });
            }
        }

        return owned is not null && string.Equals(owned.AccountId, accountId, StringComparison.Ordinal) ? owned.View : null;
    }

    /// <summary>Every change of every instance reaches this one from now on (PostgreSQL: the listener is connected).</summary>
    public void HearingEveryChange() => Reset(hearsEveryChange: true);

    /// <summary>Changes of other instances may be missed from now on (PostgreSQL: the listener lost its connection).</summary>
    public void MayMissChanges() => Reset(hearsEveryChange: false);

    public void Dispose()
    {
        _subscription.Dispose();
        _entries.Dispose();
    }

    private void Forget(string attemptId)
    {
        Interlocked.Increment(ref _changes);
        _entries.Remove(attemptId);
    }

    private void Reset(bool hearsEveryChange)
    {
        _hearsEveryChange = false;
        Interlocked.Increment(ref _changes);
        // Emptied, not disposed: a read that began before the reset still holds the old cache, and one that passed its
        // change-count check just before the reset sets into it; into a disposed cache that would throw in a
        // customer's status poll. Into an emptied, orphaned one it is harmless.
        Interlocked.Exchange(ref _entries, NewEntries()).Clear();
        _hearsEveryChange = hearsEveryChange;
    }

    private async Task<Owned?> ReadAsync(string attemptId, CancellationToken cancellationToken)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(cancellationToken);
        return await AttemptById.For(db)(db, attemptId, cancellationToken) is { } attempt
            ? new Owned(attempt.AccountId, CheckoutStatusView.For(attempt))
            : null;
    }

    // Bounded: at most this many attempts (one per open outcome page, typically) are kept at once.
    private static MemoryCache NewEntries() => new(new MemoryCacheOptions { SizeLimit = 50_000 });

    private sealed record Owned(string AccountId, CheckoutStatusView View);
}
