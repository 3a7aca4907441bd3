using Microsoft.Extensions.Time.Testing;
using Portal.Core.Attempts;
using Portal.Core.Checkout;
using Portal.Core.Persistence;
using Portal.Core.Reads;
using Portal.Core.Records;
using Portal.Core.StaffActions;


namespace Portal.Tests.Support;

/// <summary>Support's search and lists against a real (temporary, migrated) SQLite store.</summary>
public abstract class SupportAttemptsTests : IAsyncLifetime
{
    /// <summary>The store these tests run on; each runs on SQLite and on PostgreSQL.</summary>
    protected abstract StoreProvider Provider { get; }

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    private CoreHarness _core = null!;

    private SupportSearch Search => _core.Get<SupportSearch>();
    private SupportViews Views => _core.Get<SupportViews>();
    private AttemptDetails Details => _core.Get<AttemptDetails>();
    private ReviewResolver Reviews => _core.Get<ReviewResolver>();

    public async Task InitializeAsync() => _core = await CoreHarness.StartAsync(_time, provider: Provider);

    public async Task DisposeAsync() => await _core.DisposeAsync();

    [Fact]
    public async Task Finds_an_attempt_by_its_id_trimmed()
    {
        var attempt = await _core.AttemptAsync();
        await _core.AttemptAsync(); // another one that must not match

        var found = await Search.SearchAsync($"  {attempt.Id}\t", default);

        found.ShouldHaveSingleItem().Attempt.Id.ShouldBe(attempt.Id);
        found[0].MatchedOn.ShouldBe(SearchMatch.AttemptId);
    }

    [Fact]
    public async Task Finds_an_attempt_by_its_0Gate_session_id()
    {
        var attempt = await _core.AttemptAsync(sessionId: "gs_support_1");
        await _core.AttemptAsync(sessionId: "gs_support_2");

        var found = await Search.SearchAsync("gs_support_1", default);

        found.ShouldHaveSingleItem().Attempt.Id.ShouldBe(attempt.Id);
        found[0].MatchedOn.ShouldBe(SearchMatch.GateSessionId);
    }

    [Fact]
    public async Task Finds_an_attempt_by_its_tx_refid()
    {
        var attempt = await _core.AttemptAsync(sessionId: "gs_tx");
        await _core.CloseAsync(attempt.Id, AttemptStatus.Fulfilled, txRefId: "tx_support_1");

        var found = await Search.SearchAsync("tx_support_1", default);

        found.ShouldHaveSingleItem().Attempt.Id.ShouldBe(attempt.Id);
        found[0].MatchedOn.ShouldBe(SearchMatch.TxRefId);
    }

    [Fact]
    public async Task Finds_an_attempt_by_an_event_id_processed_for_it_or_only_on_its_timeline()
    {
        var processed = await _core.AttemptAsync(sessionId: "gs_evt_1");
        var late = await _core.AttemptAsync(sessionId: "gs_evt_2");
        await _core.WithDbAsync(async db =>
        {
            db.ProcessedEvents.Add(new ProcessedEvent("evt_processed", "gate_session.completed", _time.GetUtcNow(), _time.GetUtcNow())
            {
                AttemptId = processed.Id,
                GateSessionId = "gs_evt_1",
                Outcome = EventOutcome.Applied,
            });
            db.Timeline.Add(new TimelineEntry(late.Id, TimelineKind.EventIgnoredAfterTerminal, "late event", _time.GetUtcNow()) { EventId = "evt_late" });
            return await db.SaveChangesAsync();
        });

        (await Search.SearchAsync("evt_processed", default)).ShouldHaveSingleItem().Attempt.Id.ShouldBe(processed.Id);
        var byTimeline = (await Search.SearchAsync("evt_late", default)).ShouldHaveSingleItem();
        byTimeline.Attempt.Id.ShouldBe(late.Id);
        byTimeline.MatchedOn.ShouldBe(SearchMatch.EventId);
    }

    [Fact]
    public async Task Finds_every_attempt_of_a_customer_account_newest_first()
    {
        var first = await _core.AttemptAsync("acct_carol");
        _time.Advance(TimeSpan.FromMinutes(1));
        var second = await _core.AttemptAsync("acct_carol");
        await _core.AttemptAsync("acct_dave");

        var found = await Search.SearchAsync("acct_carol", default);

        found.Select(m => m.Attempt.Id).ShouldBe([second.Id, first.Id]);
        found.ShouldAllBe(m => m.MatchedOn == SearchMatch.AccountId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    [InlineData("acct_alice x")] // ids have no spaces
    [InlineData("acct_bob")]
    public async Task Blank_malformed_or_unmatched_queries_find_nothing(string? query)
    {
        await _core.AttemptAsync("acct_alice");

        (await Search.SearchAsync(query, default)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Needs_review_lists_only_flagged_attempts()
    {
        var flagged = await _core.AttemptAsync(sessionId: "gs_flagged");
        await _core.AttemptAsync(sessionId: "gs_fine");
        await _core.FlagForReviewAsync(flagged.Id);

        var list = await Views.NeedsReviewAsync(default);

        list.ShouldHaveSingleItem().Id.ShouldBe(flagged.Id);
        (await Views.CountNeedsReviewAsync(default)).ShouldBe(1);
    }

    [Fact]
    public async Task Confirming_too_long_lists_returned_attempts_unconfirmed_for_more_than_15_minutes_and_nothing_else()
    {
        var returned = await ReturnedAsync("gs_old");
        var waiting = await _core.AttemptAsync(sessionId: "gs_waiting"); // never returned: abandoned, not confirming
        var closed = await ReturnedAsync("gs_closed");
        await _core.CloseAsync(closed.Id, AttemptStatus.Failed);
        _time.Advance(TimeSpan.FromMinutes(14));
        var fresh = await ReturnedAsync("gs_fresh");

        (await Views.ConfirmingTooLongAsync(default)).ShouldBeEmpty(); // 14 minutes is not too long yet

        _time.Advance(TimeSpan.FromMinutes(2));

        (await Views.ConfirmingTooLongAsync(default)).ShouldHaveSingleItem().Id.ShouldBe(returned.Id); // the fresh one is 2 minutes old
        (await Views.CountConfirmingTooLongAsync(default)).ShouldBe(1);
        (await Views.AbandonedAsync(default)).ShouldBeEmpty(); // 16 minutes is not abandoned yet
        waiting.Status.ShouldBe(AttemptStatus.RequiresAction);
        fresh.Status.ShouldBe(AttemptStatus.Processing);
    }

    [Fact]
    public async Task Abandoned_lists_attempts_waiting_for_the_customer_for_more_than_30_minutes()
    {
        var waiting = await _core.AttemptAsync(sessionId: "gs_abandoned");
        var unopened = await _core.AttemptAsync();
        var returned = await ReturnedAsync("gs_returned");
        _time.Advance(TimeSpan.FromMinutes(31));

        var abandoned = await Views.AbandonedAsync(default);

        abandoned.Select(a => a.Id).ShouldBe([waiting.Id, unopened.Id], ignoreOrder: true);
        (await Views.CountAbandonedAsync(default)).ShouldBe(2);
        (await Views.ConfirmingTooLongAsync(default)).ShouldHaveSingleItem().Id.ShouldBe(returned.Id);
    }

    private async Task<CheckoutAttempt> ReturnedAsync(string sessionId)
    {
        var attempt = await _core.AttemptAsync(sessionId: sessionId);
        return (await _core.Get<AttemptWriter>().UpdateAsync(attempt.Id, (a, at) => a.MarkReturned(at), default)).Attempt!;
    }

    [Fact]
    public async Task Recent_lists_newest_first()
    {
        var first = await _core.AttemptAsync();
        _time.Advance(TimeSpan.FromSeconds(5));
        var second = await _core.AttemptAsync();

        (await Views.RecentAsync(default)).Select(a => a.Id).ShouldBe([second.Id, first.Id]);
    }

    [Fact]
    public async Task Detail_holds_the_attempt_and_its_whole_timeline_in_order()
    {
        var attempt = await _core.AttemptAsync(sessionId: "gs_detail");

        var detail = (await Details.GetDetailAsync(attempt.Id, default)).ShouldNotBeNull();

        detail.Attempt.GateSessionId.ShouldBe("gs_detail");
        detail.Timeline.Select(e => e.Kind).ShouldBe([TimelineKind.StateChanged, TimelineKind.GateRequest, TimelineKind.StateChanged]);
        detail.CanReconcile.ShouldBeTrue();
        (await Details.GetDetailAsync(AttemptId.New(), default)).ShouldBeNull();
        (await Details.GetDetailAsync("not-an-id", default)).ShouldBeNull();
    }

    [Fact]
    public async Task Resolving_a_review_clears_the_flag_once_and_notes_who_did_it()
    {
        var attempt = await _core.AttemptAsync(sessionId: "gs_review");
        await _core.FlagForReviewAsync(attempt.Id);

        var first = await Reviews.ResolveReviewAsync(attempt.Id, Staff.Sam, "0Gate confirms completed", default);
        var second = await Reviews.ResolveReviewAsync(attempt.Id, Staff.Ada, "checked again", default);

        first.ShouldBe(ResolveReviewOutcome.Resolved);
        second.ShouldBe(ResolveReviewOutcome.AlreadyResolved); // the conditional update found nothing to clear
        var detail = (await Details.GetDetailAsync(attempt.Id, default))!;
        detail.Attempt.NeedsReview.ShouldBeFalse();
        detail.Timeline.Where(e => e.Kind == TimelineKind.Note).Select(e => e.Summary)
            .ShouldBe(["Review resolved by Sam: 0Gate confirms completed"]);
        (await Views.NeedsReviewAsync(default)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Resolving_an_unflagged_or_missing_attempt_changes_nothing()
    {
        var attempt = await _core.AttemptAsync();

        (await Reviews.ResolveReviewAsync(attempt.Id, Staff.Sam, "nothing to see", default)).ShouldBe(ResolveReviewOutcome.AlreadyResolved);
        (await Reviews.ResolveReviewAsync(AttemptId.New(), Staff.Sam, "nothing to see", default)).ShouldBe(ResolveReviewOutcome.NotFound);
        (await _core.Get<AttemptReads>().GetTimelineAsync(attempt.Id, default)).ShouldNotContain(e => e.Kind == TimelineKind.Note);
    }
}

public sealed class SupportAttemptsTestsOnSqlite : SupportAttemptsTests
{
    protected override StoreProvider Provider => StoreProvider.Sqlite;
}

public sealed class SupportAttemptsTestsOnPostgreSql : SupportAttemptsTests
{
    protected override StoreProvider Provider => StoreProvider.PostgreSql;
}
