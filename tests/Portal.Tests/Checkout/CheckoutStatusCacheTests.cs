using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Attempts;
using Portal.Core.Checkout;
using Portal.Core.LiveUpdates;
using Portal.Core.Reads;
using Portal.Tests.Support;

namespace Portal.Tests.Checkout;

/// <summary>The status API's cache: answers between changes, forgets an attempt the moment its change is announced.</summary>
public sealed class CheckoutStatusCacheTests : IAsyncLifetime
{
    private readonly HeldAttemptReads _held = new();
    private CoreHarness _core = null!;

    private CheckoutStatusCache Cache => _core.Get<CheckoutStatusCache>();

    public async Task InitializeAsync() => _core = await CoreHarness.StartAsync(configureServices: services => services.AddSingleton<IInterceptor>(_held));

    public async Task DisposeAsync() => await _core.DisposeAsync();

    [Fact]
    public async Task A_change_through_the_write_path_is_seen_by_the_very_next_read()
    {
        var attempt = await _core.AttemptAsync(sessionId: "gs_cache_1");
        (await Cache.GetForOwnerAsync(attempt.Id, "acct_alice", default))!.Status.ShouldBe(AttemptStatus.RequiresAction);

        await _core.CloseAsync(attempt.Id, AttemptStatus.Fulfilled, "tx_cache_1");

        (await Cache.GetForOwnerAsync(attempt.Id, "acct_alice", default))!.Status.ShouldBe(AttemptStatus.Fulfilled);
    }

    [Fact]
    public async Task Reads_between_changes_come_from_memory_and_an_announcement_drops_them()
    {
        var attempt = await _core.AttemptAsync(sessionId: "gs_cache_2");
        await Cache.GetForOwnerAsync(attempt.Id, "acct_alice", default);

        // Behind the write path's back (no announcement): the cached answer stands, which shows the cache is used.
        await ExpireBehindTheWritersBackAsync(attempt.Id);
        (await Cache.GetForOwnerAsync(attempt.Id, "acct_alice", default))!.Status.ShouldBe(AttemptStatus.RequiresAction);

        _core.Get<AttemptStatusNotifier>().Publish(new AttemptStatusChanged(attempt.Id, AttemptStatus.Expired, AttemptStatus.RequiresAction));

        (await Cache.GetForOwnerAsync(attempt.Id, "acct_alice", default))!.Status.ShouldBe(AttemptStatus.Expired);
    }

    [Fact]
    public async Task While_changes_may_be_missed_every_read_goes_to_the_store()
    {
        var attempt = await _core.AttemptAsync(sessionId: "gs_cache_3");
        await Cache.GetForOwnerAsync(attempt.Id, "acct_alice", default);

        Cache.MayMissChanges(); // e.g. PostgreSQL's change listener lost its connection
        await ExpireBehindTheWritersBackAsync(attempt.Id);

        (await Cache.GetForOwnerAsync(attempt.Id, "acct_alice", default))!.Status.ShouldBe(AttemptStatus.Expired);
        Cache.HearingEveryChange();
        (await Cache.GetForOwnerAsync(attempt.Id, "acct_alice", default))!.Status.ShouldBe(AttemptStatus.Expired); // starts empty
    }

    [Fact]
    public async Task Someone_else_and_an_unknown_id_get_the_same_nothing()
    {
        var attempt = await _core.AttemptAsync(sessionId: "gs_cache_4");
        await Cache.GetForOwnerAsync(attempt.Id, "acct_alice", default); // cached for its owner

        (await Cache.GetForOwnerAsync(attempt.Id, "acct_bob", default)).ShouldBeNull();
        (await Cache.GetForOwnerAsync(AttemptId.New(), "acct_alice", default)).ShouldBeNull();
        (await Cache.GetForOwnerAsync("not-an-id", "acct_alice", default)).ShouldBeNull();
    }

    [Fact]
    public async Task Callers_that_miss_at_the_same_moment_share_one_read()
    {
        var attempt = await _core.AttemptAsync(sessionId: "gs_cache_5");

        // Every page open on the attempt, pushed the same change, asks at once while the first read is still running.
        var release = _held.Hold();
        var answers = Enumerable.Range(0, 20).Select(_ => Cache.GetOutcomeForOwnerAsync(attempt.Id, "acct_alice", OutcomeArrival.Status, default)).ToList();
        release.SetResult();

        (await Task.WhenAll(answers)).ShouldAllBe(outcome => outcome!.Status.Status == AttemptStatus.RequiresAction);
        _held.Reads.ShouldBe(1);
    }

    [Fact]
    public async Task A_read_under_way_when_a_change_is_announced_is_not_shared_with_callers_after_it()
    {
        var attempt = await _core.AttemptAsync(sessionId: "gs_cache_6");
        var release = _held.Hold();
        var before = Cache.GetForOwnerAsync(attempt.Id, "acct_alice", default);

        await ExpireBehindTheWritersBackAsync(attempt.Id);
        _core.Get<AttemptStatusNotifier>().Publish(new AttemptStatusChanged(attempt.Id, AttemptStatus.Expired, AttemptStatus.RequiresAction));
        var after = Cache.GetForOwnerAsync(attempt.Id, "acct_alice", default);
        release.SetResult();

        (await after)!.Status.ShouldBe(AttemptStatus.Expired);
        await before;
        _held.Reads.ShouldBe(2); // the caller after the announcement did not wait for the read begun before it
    }

    private Task<int> ExpireBehindTheWritersBackAsync(string attemptId) =>
        _core.WithDbAsync(db => db.Attempts.Where(a => a.Id == attemptId)
            .ExecuteUpdateAsync(set => set.SetProperty(a => a.Status, AttemptStatus.Expired)));

    /// <summary>Counts the status cache's reads of an attempt and, while held, keeps them waiting before they run.</summary>
    private sealed class HeldAttemptReads : DbCommandInterceptor
    {
        private TaskCompletionSource _release = Released();
        private int _reads;

        public int Reads => Volatile.Read(ref _reads);

        /// <summary>Holds every read of an attempt from now on, and starts counting, until the returned source is set.</summary>
        public TaskCompletionSource Hold()
        {
            Interlocked.Exchange(ref _reads, 0);
            return _release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            // The cache's compiled query: a single-row read of checkout_attempts (the writer's reads are not held).
            if (command.CommandText.Contains("FROM \"checkout_attempts\"", StringComparison.Ordinal) && command.CommandText.Contains("LIMIT 1", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _reads);
                await _release.Task.WaitAsync(cancellationToken);
            }

            return result;
        }

        private static TaskCompletionSource Released()
        {
            var released = new TaskCompletionSource();
            released.SetResult();
            return released;
        }
    }
}
