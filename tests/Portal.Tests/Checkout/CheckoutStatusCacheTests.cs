using Microsoft.EntityFrameworkCore;
using Portal.Core.Attempts;
using Portal.Core.LiveUpdates;
using Portal.Tests.Support;

namespace Portal.Tests.Checkout;

/// <summary>The status API's cache: answers between changes, forgets an attempt the moment its change is announced.</summary>
public sealed class CheckoutStatusCacheTests : IAsyncLifetime
{
    private CoreHarness _core = null!;

    private CheckoutStatusCache Cache => _core.Get<CheckoutStatusCache>();

    public async Task InitializeAsync() => _core = await CoreHarness.StartAsync();

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

    private Task<int> ExpireBehindTheWritersBackAsync(string attemptId) =>
        _core.WithDbAsync(db => db.Attempts.Where(a => a.Id == attemptId)
            .ExecuteUpdateAsync(set => set.SetProperty(a => a.Status, AttemptStatus.Expired)));
}
