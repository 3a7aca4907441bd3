using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Portal.Core.Attempts;
using Portal.Core.Persistence;
using Portal.Core.Reads;

namespace Portal.Core.LiveUpdates;

/// <summary>
/// What <c>GET /api/checkout/{id}/status</c> answers and what open outcome pages show, kept in memory between committed
/// changes: every open outcome page polls every 3 s and is pushed every change, and the answer changes only when the
/// attempt does. An entry is dropped the moment a change of its attempt is announced (after the commit, before the
/// writer's caller hears back), so a poll never reads an older state than the one a webhook was acknowledged for.
/// <para>
/// Callers that miss at the same moment (every page open on an attempt, pushed the same change) share one read of the
/// store; a read that began before a change is never shared with a caller that comes after it. A stored receipt never
/// changes, so it is kept apart from the status and read once.
/// </para>
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

    /// <summary>How long a receipt nobody has asked for stays in memory (it cannot change, only be forgotten).</summary>
    private static readonly TimeSpan ReceiptLifetime = TimeSpan.FromMinutes(10);

    private static readonly CompiledQuery<Func<PortalDbContext, string, CancellationToken, Task<CheckoutAttempt?>>> AttemptById = new(() =>
        EF.CompileAsyncQuery((PortalDbContext db, string attemptId, CancellationToken ct) => db.Attempts.AsNoTracking().FirstOrDefault(a => a.Id == attemptId)));

    private static readonly CompiledQuery<Func<PortalDbContext, string, CancellationToken, Task<AttemptReceipt?>>> ReceiptOf = new(() =>
        EF.CompileAsyncQuery((PortalDbContext db, string attemptId, CancellationToken ct) => db.Receipts.AsNoTracking().FirstOrDefault(r => r.AttemptId == attemptId)));

    private readonly IDbContextFactory<PortalDbContext> _dbFactory;
    private readonly IDisposable _subscription;
    private readonly ConcurrentDictionary<string, Task<Owned?>> _reads = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task<CustomerReceipt?>> _receiptReads = new(StringComparer.Ordinal);
    private readonly MemoryCache _receipts = NewEntries();
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
    public async Task<CheckoutStatusView?> GetForOwnerAsync(string attemptId, string accountId, CancellationToken cancellationToken) =>
        await GetOwnedAsync(attemptId, accountId, cancellationToken) is { } owned ? owned.View : null;

    /// <summary>
    /// What the outcome page on <paramref name="arrival"/> shows of <paramref name="attemptId"/> (its status and, once
    /// stored, its receipt) if <paramref name="accountId"/> owns it; otherwise null, like a missing one.
    /// </summary>
    public async Task<CheckoutOutcome?> GetOutcomeForOwnerAsync(string attemptId, string accountId, OutcomeArrival arrival, CancellationToken cancellationToken) =>
        await GetOutcomeAndSessionForOwnerAsync(attemptId, accountId, arrival, cancellationToken) is { } found ? found.Outcome : null;

    /// <summary>
    /// <see cref="GetOutcomeForOwnerAsync"/> with the attempt's 0Gate session id, for the cancel page, which asks 0Gate
    /// about that session: the page's one read of the attempt, kept for its island like any other.
    /// </summary>
    public async Task<(CheckoutOutcome Outcome, string? GateSessionId)?> GetOutcomeAndSessionForOwnerAsync(
        string attemptId, string accountId, OutcomeArrival arrival, CancellationToken cancellationToken)
    {
        if (await GetOwnedAsync(attemptId, accountId, cancellationToken) is not { } owned)
        {
            return null;
        }

        var receipt = owned.View.View == OutcomeView.Success && owned.ReceiptStored
            ? await GetReceiptAsync(attemptId, cancellationToken)
            : null;
        return (new CheckoutOutcome(owned.View.On(arrival), receipt), owned.GateSessionId);
    }

    private async Task<Owned?> GetOwnedAsync(string attemptId, string accountId, CancellationToken cancellationToken)
    {
        if (!AttemptId.IsWellFormed(attemptId))
        {
            return null;
        }

        if (!_hearsEveryChange || !_entries.TryGetValue(attemptId, out Owned? owned))
        {
            owned = await SharedReadAsync(_reads, attemptId, ReadAndKeepAsync).WaitAsync(cancellationToken);
        }

        return owned is not null && string.Equals(owned.AccountId, accountId, StringComparison.Ordinal) ? owned : null;
    }

    private async Task<Owned?> ReadAndKeepAsync(string attemptId)
    {
        // Only an answer read with no change announced meanwhile may be kept: a change committed during the read
        // could otherwise be hidden behind the older state for the entry's lifetime.
        var entries = _entries;
        var changesBefore = Interlocked.Read(ref _changes);
        var owned = await ReadAsync(attemptId);
        if (owned is not null && _hearsEveryChange && Interlocked.Read(ref _changes) == changesBefore)
        {
            entries.Set(attemptId, owned, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = Lifetime });
        }

        return owned;
    }

    /// <summary>
    /// The stored receipt of an attempt the caller has already found to be the customer's. Stored once by the receipt
    /// job and never changed: once found, kept (within the size bound).
    /// </summary>
    public async Task<CustomerReceipt?> GetReceiptAsync(string attemptId, CancellationToken cancellationToken)
    {
        if (_receipts.TryGetValue(attemptId, out CustomerReceipt? receipt))
        {
            return receipt;
        }

        return await SharedReadAsync(_receiptReads, attemptId, async id =>
        {
            await using var db = await _dbFactory.CreateDbContextAsync();
            var found = await ReceiptOf.For(db)(db, id, CancellationToken.None) is { } stored ? CustomerReceipt.From(stored) : null;
            if (found is not null)
            {
                _receipts.Set(id, found, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = ReceiptLifetime });
            }

            return found;
        }).WaitAsync(cancellationToken);
    }

    /// <summary>
    /// The read of <paramref name="attemptId"/> under way, or a new one: callers arriving while it runs share it. It runs
    /// without any one caller's cancellation (each caller stops waiting on its own), and leaves the table when done.
    /// </summary>
    private static Task<T> SharedReadAsync<T>(ConcurrentDictionary<string, Task<T>> reads, string attemptId, Func<string, Task<T>> read)
    {
        while (true)
        {
            if (reads.TryGetValue(attemptId, out var running))
            {
                return running;
            }

            var start = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!reads.TryAdd(attemptId, start.Task))
            {
                continue;
            }

            _ = CompleteAsync(reads, attemptId, start, read);
            return start.Task;
        }
    }

    private static async Task CompleteAsync<T>(ConcurrentDictionary<string, Task<T>> reads, string attemptId, TaskCompletionSource<T> result, Func<string, Task<T>> read)
    {
        try
        {
            result.SetResult(await read(attemptId));
        }
        catch (Exception ex)
        {
            result.SetException(ex);
        }
        finally
        {
            reads.TryRemove(new KeyValuePair<string, Task<T>>(attemptId, result.Task));
        }
    }

    /// <summary>Every change of every instance reaches this one from now on (PostgreSQL: the listener is connected).</summary>
    public void HearingEveryChange() => Reset(hearsEveryChange: true);

    /// <summary>Changes of other instances may be missed from now on (PostgreSQL: the listener lost its connection).</summary>
    public void MayMissChanges() => Reset(hearsEveryChange: false);

    public void Dispose()
    {
        _subscription.Dispose();
        _entries.Dispose();
        _receipts.Dispose();
    }

    private void Forget(string attemptId)
    {
        Interlocked.Increment(ref _changes);
        // A read under way may have seen the state before this change: callers from now on start a new one.
        _reads.TryRemove(attemptId, out _);
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
        _reads.Clear();
        _hearsEveryChange = hearsEveryChange;
    }

    private async Task<Owned?> ReadAsync(string attemptId)
    {
        await using var db = await _dbFactory.CreateDbContextAsync();
        return await AttemptById.For(db)(db, attemptId, CancellationToken.None) is { } attempt
            ? new Owned(attempt.AccountId, CheckoutStatusView.For(attempt), attempt.ReceiptStoredAt is not null, attempt.GateSessionId)
            : null;
    }

    // Bounded: at most this many attempts (one per open outcome page, typically) are kept at once.
    private static MemoryCache NewEntries() => new(new MemoryCacheOptions { SizeLimit = 50_000 });

    private sealed record Owned(string AccountId, CheckoutStatusView View, bool ReceiptStored, string? GateSessionId);
}
