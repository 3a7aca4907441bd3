using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Portal.Core.Attempts;
using Portal.Core.Checkout;
using Portal.Core.Persistence;
using Portal.Core.Reads;
using Portal.Core.Records;

namespace Portal.Tests.Support;

/// <summary>Support's list query on each store: prefix search over every id kind, filters, sorting, paging, and the indexes it uses.</summary>
public abstract class SupportQueryTests : IAsyncLifetime
{
    protected abstract StoreProvider Provider { get; }

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    private CoreHarness _core = null!;

    private SupportSearch Search => _core.Get<SupportSearch>();

    public async Task InitializeAsync() => _core = await CoreHarness.StartAsync(_time, provider: Provider);

    public async Task DisposeAsync() => await _core.DisposeAsync();

    [Fact]
    public async Task A_prefix_of_any_id_kind_finds_the_attempt_in_any_case_and_says_which_id_matched()
    {
        var byAttempt = await _core.AttemptAsync("acct_query_a");
        var bySession = await _core.AttemptAsync("acct_query_b", sessionId: "gs_Query_Session_77");
        var byTx = await _core.AttemptAsync("acct_query_c", sessionId: "gs_query_tx");
        await _core.CloseAsync(byTx.Id, AttemptStatus.Fulfilled, txRefId: "tx_QUERY_refid_1");
        var byEvent = await _core.AttemptAsync("acct_query_d", sessionId: "gs_query_evt");
        await _core.WithDbAsync(async db =>
        {
            db.ProcessedEvents.Add(new ProcessedEvent("evt_Query_Processed_9", "gate_session.created", _time.GetUtcNow(), _time.GetUtcNow())
            {
                AttemptId = byEvent.Id,
                Outcome = EventOutcome.Recorded,
            });
            return await db.SaveChangesAsync();
        });
        var byAccount = await _core.AttemptAsync("Acct_Query_Mixed_Case");

        await ExpectAsync(byAttempt.Id[..10].ToUpperInvariant(), byAttempt.Id, SearchMatch.AttemptId);
        await ExpectAsync("GS_QUERY_SESSION", bySession.Id, SearchMatch.GateSessionId);
        await ExpectAsync("tx_query_ref", byTx.Id, SearchMatch.TxRefId);
        await ExpectAsync("evt_query_proc", byEvent.Id, SearchMatch.EventId);
        await ExpectAsync("acct_query_mixed", byAccount.Id, SearchMatch.AccountId);
        (await Search.SearchAsync("gs_query_session_78", default)).ShouldBeEmpty(); // a prefix, not a fuzzy match
        (await Search.SearchAsync("query", default)).ShouldBeEmpty(); // from the start of the id only
    }

    [Fact]
    public async Task Underscores_and_percent_signs_in_a_search_are_plain_characters()
    {
        var attempt = await _core.AttemptAsync("acct_a_b");
        await _core.AttemptAsync("acctXaYb");

        var found = await Search.SearchAsync("acct_a_", default);

        found.ShouldHaveSingleItem().Attempt.Id.ShouldBe(attempt.Id);
        (await Search.SearchAsync("acct%", default)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Filters_combine_status_flow_review_and_created_range()
    {
        var early = await Create("acct_f1", CheckoutFlow.OnRamp);
        _time.Advance(TimeSpan.FromHours(2));
        var buy = await Create("acct_f2", CheckoutFlow.OnRamp, sessionId: "gs_f2");
        var sell = await Create("acct_f3", CheckoutFlow.OffRamp, sessionId: "gs_f3");
        var flagged = await Create("acct_f4", CheckoutFlow.OnRamp, sessionId: "gs_f4");
        await _core.CloseAsync(flagged.Id, AttemptStatus.Failed);
        await _core.FlagForReviewAsync(flagged.Id);
        var windowStart = _time.GetUtcNow() - TimeSpan.FromHours(1);

        (await Ids(new AttemptFilter { Statuses = [AttemptStatus.RequiresAction] })).ShouldBe([sell.Id, buy.Id]);
        (await Ids(new AttemptFilter { Statuses = [AttemptStatus.RequiresAction, AttemptStatus.PendingSession], Flow = CheckoutFlow.OnRamp }))
            .ShouldBe([buy.Id, early.Id]);
        (await Ids(new AttemptFilter { NeedsReview = true })).ShouldBe([flagged.Id]);
        (await Ids(new AttemptFilter { NeedsReview = false, CreatedFrom = windowStart })).ShouldBe([sell.Id, buy.Id]);
        (await Ids(new AttemptFilter { CreatedTo = windowStart })).ShouldBe([early.Id]);
        (await Ids(new AttemptFilter { Search = "acct_f", Flow = CheckoutFlow.OffRamp })).ShouldBe([sell.Id]);
        (await Search.CountAsync(new AttemptFilter { Flow = CheckoutFlow.OnRamp }, default)).ShouldBe(3);
    }

    [Fact]
    public async Task The_stuck_views_are_filters_too()
    {
        var confirming = await Create("acct_s1", CheckoutFlow.OnRamp, sessionId: "gs_s1");
        await _core.Get<AttemptWriter>().UpdateAsync(confirming.Id, (a, at) => a.MarkReturned(at), default);
        var waiting = await Create("acct_s2", CheckoutFlow.OnRamp, sessionId: "gs_s2");
        _time.Advance(TimeSpan.FromMinutes(31));
        await Create("acct_s3", CheckoutFlow.OnRamp, sessionId: "gs_s3"); // fresh

        (await Ids(new AttemptFilter { Stuck = StuckView.ConfirmingTooLong })).ShouldBe([confirming.Id]);
        (await Ids(new AttemptFilter { Stuck = StuckView.Abandoned })).ShouldBe([waiting.Id]);
        (await Ids(new AttemptFilter { Stuck = StuckView.Abandoned, Flow = CheckoutFlow.Swap })).ShouldBeEmpty();
    }

    [Fact]
    public async Task Pages_never_overlap_and_the_total_counts_every_match()
    {
        var created = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            created.Add((await Create("acct_paging", CheckoutFlow.OnRamp)).Id);
            _time.Advance(TimeSpan.FromSeconds(i % 2)); // some share a created time: ties are broken by id
        }

        var filter = new AttemptFilter { Search = "acct_paging" };
        var pages = new List<AttemptPage>();
        for (var page = 0; page < 3; page++)
        {
            pages.Add(await Search.QueryAsync(filter, new AttemptSort(AttemptSortField.CreatedAt, Descending: false), page, 3, default));
        }

        pages.ShouldAllBe(p => p.Total == 7);
        pages.Select(p => p.Rows.Count).ShouldBe([3, 3, 1]);
        var listed = pages.SelectMany(p => p.Rows.Select(r => r.Attempt.Id)).ToList();
        listed.ShouldBe(listed.Distinct().ToList());
        listed.ShouldBe(created, ignoreOrder: true);
        pages.SelectMany(p => p.Rows).Select(r => r.Attempt.CreatedAt).ShouldBeInOrder(SortDirection.Ascending);
    }

    [Fact]
    public async Task Sorting_by_status_or_updated_time_is_done_by_the_store()
    {
        var a = await Create("acct_sort", CheckoutFlow.OnRamp, sessionId: "gs_sort_a");
        _time.Advance(TimeSpan.FromMinutes(1));
        var b = await Create("acct_sort", CheckoutFlow.OnRamp);
        _time.Advance(TimeSpan.FromMinutes(1));
        await _core.CloseAsync(a.Id, AttemptStatus.Fulfilled); // a is now updated last

        var byUpdated = await Search.QueryAsync(new AttemptFilter { Search = "acct_sort" }, new AttemptSort(AttemptSortField.UpdatedAt, true), 0, 10, default);
        var byStatus = await Search.QueryAsync(new AttemptFilter { Search = "acct_sort" }, new AttemptSort(AttemptSortField.Status, false), 0, 10, default);

        byUpdated.Rows.Select(r => r.Attempt.Id).ShouldBe([a.Id, b.Id]);
        byStatus.Rows.Select(r => r.Attempt.Status).ShouldBe([AttemptStatus.Fulfilled, AttemptStatus.PendingSession]);
    }

    [Fact]
    public async Task A_prefix_matching_more_ids_than_a_search_takes_says_so()
    {
        await _core.WithDbAsync(async db =>
        {
            for (var i = 0; i <= SupportSearch.SearchCap; i++)
            {
                db.Attempts.Add(new CheckoutAttempt($"acct_many_{i:D5}", CheckoutFlow.OnRamp, 1m, "EUR", null, null, null, _time.GetUtcNow()));
            }

            return await db.SaveChangesAsync();
        });

        var page = await Search.QueryAsync(new AttemptFilter { Search = "acct_many_" }, AttemptSort.NewestFirst, 0, 10, default);

        page.SearchTruncated.ShouldBeTrue();
        page.Total.ShouldBe(SupportSearch.SearchCap);
        (await Search.QueryAsync(new AttemptFilter { Search = "acct_many_0099" }, AttemptSort.NewestFirst, 0, 20, default)).SearchTruncated.ShouldBeFalse();
    }

    [Theory]
    [InlineData("Id")]
    [InlineData("GateSessionId")]
    [InlineData("TxRefId")]
    [InlineData("AccountId")]
    public async Task A_prefix_search_reads_an_index_not_the_whole_table(string column)
    {
        await _core.AttemptAsync("acct_plan", sessionId: "gs_plan");
        var plan = await _core.WithDbAsync(async db =>
        {
            var query = db.Attempts.Where(SearchKeys.StartsWith<CheckoutAttempt>(column switch
            {
                "Id" => a => a.Id,
                "GateSessionId" => a => a.GateSessionId,
                "TxRefId" => a => a.TxRefId,
                _ => a => a.AccountId,
            }, "gs_pl")).Select(a => a.Id);
            return await ExplainAsync(db, query.CreateDbCommand());
        });

        plan.ShouldContain($"IX_checkout_attempts_{column}_folded", customMessage: plan);
    }

    [Fact]
    public async Task An_event_id_prefix_search_reads_the_event_indexes()
    {
        var plans = await _core.WithDbAsync(async db => new[]
        {
            await ExplainAsync(db, db.ProcessedEvents.Where(SearchKeys.StartsWith<ProcessedEvent>(e => e.EventId, "evt_")).Select(e => e.AttemptId).CreateDbCommand()),
            await ExplainAsync(db, db.Timeline.Where(SearchKeys.StartsWith<TimelineEntry>(e => e.EventId, "evt_")).Select(e => e.AttemptId).CreateDbCommand()),
        });

        plans[0].ShouldContain("IX_processed_events_EventId_folded", customMessage: plans[0]);
        plans[1].ShouldContain("IX_attempt_timeline_EventId_folded", customMessage: plans[1]);
    }

    [Fact]
    public async Task A_wallet_address_an_on_chain_hash_or_a_local_rail_id_from_the_receipt_finds_the_attempt()
    {
        var buy = await _core.AttemptAsync("acct_receipt_buy", sessionId: "gs_receipt_buy");
        await _core.CloseAsync(buy.Id, AttemptStatus.Fulfilled, txRefId: "tx_receipt_buy");
        await _core.Get<AttemptWriter>().StoreReceiptAsync(new AttemptReceipt(buy.Id, "tx_receipt_buy", "BUY", _time.GetUtcNow())
        {
            WalletAddress = "0xAbC0000000000000000000000000000000000D1e",
            TransactionHash = "0x9f3e00000000000000000000000000000000000000000000000000000000beef",
        }, "req_receipt_buy", default);
        var sell = await _core.AttemptAsync("acct_receipt_sell", sessionId: "gs_receipt_sell");
        await _core.CloseAsync(sell.Id, AttemptStatus.Fulfilled, txRefId: "tx_receipt_sell");
        await _core.Get<AttemptWriter>().StoreReceiptAsync(new AttemptReceipt(sell.Id, "tx_receipt_sell", "SELL", _time.GetUtcNow())
        {
            TransactionHash = "0x7a1100000000000000000000000000000000000000000000000000000000cafe",
            LocalRailTransactionId = "lr_Pix_42",
        }, "req_receipt_sell", default);

        await ExpectAsync("0xabc00000", buy.Id, SearchMatch.WalletAddress);
        await ExpectAsync("0X9F3E", buy.Id, SearchMatch.TransactionHash);
        await ExpectAsync("0x7a11", sell.Id, SearchMatch.TransactionHash);
        await ExpectAsync("LR_PIX", sell.Id, SearchMatch.LocalRailTransactionId);
        (await Search.SearchAsync("0xabd", default)).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("WalletAddress")]
    [InlineData("TransactionHash")]
    [InlineData("LocalRailTransactionId")]
    public async Task A_receipt_search_reads_an_index_not_the_whole_table(string column)
    {
        var plan = await _core.WithDbAsync(async db =>
        {
            var query = db.Receipts.Where(SearchKeys.StartsWith<AttemptReceipt>(column switch
            {
                "WalletAddress" => r => r.WalletAddress,
                "TransactionHash" => r => r.TransactionHash,
                _ => r => r.LocalRailTransactionId,
            }, "0xab")).Select(r => r.AttemptId);
            return await ExplainAsync(db, query.CreateDbCommand());
        });

        plan.ShouldContain($"IX_attempt_receipts_{column}_folded", customMessage: plan);
    }

    /// <summary>The store's plan for a command. PostgreSQL is told to avoid sequential scans (tiny tables would otherwise be scanned, rightly).</summary>
    private async Task<string> ExplainAsync(PortalDbContext db, DbCommand command)
    {
        await db.Database.OpenConnectionAsync();
        if (Provider == StoreProvider.PostgreSql)
        {
            await db.Database.ExecuteSqlRawAsync("SET enable_seqscan = off");
        }

        command.CommandText = (Provider == StoreProvider.Sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN ") + command.CommandText;
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetValue(reader.FieldCount - 1).ToString()!);
        }

        return string.Join("\n", lines);
    }

    private async Task ExpectAsync(string query, string attemptId, SearchMatch kind)
    {
        var found = await Search.SearchAsync(query, default);
        var match = found.ShouldHaveSingleItem($"searching '{query}'");
        match.Attempt.Id.ShouldBe(attemptId);
        match.MatchedOn.ShouldBe(kind);
    }

    private async Task<CheckoutAttempt> Create(string account, CheckoutFlow flow, string? sessionId = null)
    {
        var attempt = await _core.Get<AttemptWriter>().CreateAsync(new NewAttempt(account, flow, 10m, "EUR", "USDC", "polygon"), default);
        _time.Advance(TimeSpan.FromSeconds(1)); // each its own creation time: "newest first" has no ties to break by (random) id
        return sessionId is null ? attempt : (await _core.Get<AttemptWriter>().AttachSessionAsync(attempt.Id, sessionId, null, default)).Attempt!;
    }

    private async Task<List<string>> Ids(AttemptFilter filter) =>
        [.. (await Search.QueryAsync(filter, AttemptSort.NewestFirst, 0, 50, default)).Rows.Select(r => r.Attempt.Id)];
}

public sealed class SupportQueryTestsOnSqlite : SupportQueryTests
{
    protected override StoreProvider Provider => StoreProvider.Sqlite;
}

public sealed class SupportQueryTestsOnPostgreSql : SupportQueryTests
{
    protected override StoreProvider Provider => StoreProvider.PostgreSql;
}
