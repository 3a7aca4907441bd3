using Microsoft.EntityFrameworkCore;
using Portal.Bench.Hosting;
using Portal.Bench.Load;
using Portal.Bench.PortalData;
using Portal.Bench.Report;
using Portal.Core.Persistence;

namespace Portal.Bench.Scenarios;

/// <summary>
/// B1: webhook ingest. Closed loop at each sender count, the bare endpoint and the portal alternating round by round
/// (throughput each, ratio of medians; goals per store, <see cref="RatioGoal"/>), then an open loop at a fixed rate on
/// the portal (goal p99 under 50 ms on PostgreSQL, 25 ms on SQLite, and no non-2xx). Every portal delivery closes its own seeded, open attempt, and 0Gate (the
/// sandbox process) holds that attempt's transaction, so the receipt job each fulfilment creates reads and stores a
/// real receipt. On PostgreSQL it then counts the statements the portal's database runs per fulfilled delivery,
/// receipt job included (<see cref="CountStatementsAsync"/>).
/// </summary>
public sealed class IngestScenario : IScenario
{
    /// <summary>
    /// The goals per store (docs/architecture.md#performance-contract): PostgreSQL, many writers, at least 0.6× the
    /// bare endpoint at every sender count; SQLite, one writer, at least 0.5× alone and, with group commit, 0.8× at 8
    /// and 1.2× from 32 senders on (it beats a writer per request).
    /// </summary>
    private static double RatioGoal(StoreProvider provider, int senders) => provider == StoreProvider.PostgreSql
        ? 0.6
        : senders switch { <= 1 => 0.5, < 32 => 0.8, _ => 1.2 };

    /// <summary>Open loop at 500/s: p99 under 50 ms on PostgreSQL, 25 ms on SQLite.</summary>
    private static double P99GoalMs(StoreProvider provider) => provider == StoreProvider.PostgreSql ? 50 : 25;

    public string Id => "B1";

    public string Title => "webhook ingest: portal vs bare endpoint (HMAC + one INSERT)";

    public async Task RunAsync(BenchContext bench, CancellationToken cancellationToken)
    {
        var settings = bench.Settings;
        var bare = bench.BareClient ?? throw new InvalidOperationException("B1 needs the bare endpoint.");
        var pool = new AttemptPool(bench.Seeder, $"acct_bench_{bench.RunId}_b1");
        var cap = settings.B1MaxRequests;

        Task<LoadResult> BareClosed(int concurrency, TimeSpan duration) =>
            LoadLoops.ClosedAsync(concurrency, duration, cap, (_, ct) => bare.SendForStatusAsync(bench.Signer.CreateRequest(bench.Seeder.SyntheticEvent()), ct), cancellationToken);

        async Task<LoadResult> PortalClosed(int concurrency, TimeSpan duration)
        {
            await pool.EnsureAsync(cap, cancellationToken);
            return await LoadLoops.ClosedAsync(concurrency, duration, cap,
                (_, ct) => bench.DeliverAsync(bench.Seeder.CompletedEvent(pool.Next(), "b1"), ct), cancellationToken);
        }

        Console.WriteLine($"  warm-up: {settings.Warmup.TotalSeconds:0.#} s closed loop at 8 senders on each app");
        await BareClosed(8, settings.Warmup);
        await PortalClosed(8, settings.Warmup);

        var bareRuns = settings.B1Concurrency.ToDictionary(c => c, _ => new List<LoadResult>());
        var portalRuns = settings.B1Concurrency.ToDictionary(c => c, _ => new List<LoadResult>());
        for (var round = 1; round <= settings.Rounds; round++)
        {
            foreach (var concurrency in settings.B1Concurrency)
            {
                var bareResult = await BareClosed(concurrency, settings.B1Duration);
                var portalResult = await PortalClosed(concurrency, settings.B1Duration);
                bareRuns[concurrency].Add(bareResult);
                portalRuns[concurrency].Add(portalResult);
                Console.WriteLine($"  round {round}, {concurrency,2} senders: bare {Fmt.PerSecond(bareResult.Throughput)} (p50 {Fmt.Ms(bareResult.PercentileMs(50))}), " +
                    $"portal {Fmt.PerSecond(portalResult.Throughput)} (p50 {Fmt.Ms(portalResult.PercentileMs(50))}, {portalResult.Failures()})");
            }
        }

        foreach (var concurrency in settings.B1Concurrency)
        {
            var portal = Fmt.Median(portalRuns[concurrency].Select(r => r.Throughput));
            var baseline = Fmt.Median(bareRuns[concurrency].Select(r => r.Throughput));
            var ratio = portal / baseline;
            var portalFailures = portalRuns[concurrency].Sum(r => r.NonSuccess + r.Errors);
            var bareFailures = bareRuns[concurrency].Sum(r => r.NonSuccess + r.Errors);
            var p99 = Fmt.Median(portalRuns[concurrency].Select(r => r.PercentileMs(99)));
            var bareP99 = Fmt.Median(bareRuns[concurrency].Select(r => r.PercentileMs(99)));
            bench.Report.Add(new ReportRow(Id, $"closed loop, {concurrency} senders: deliveries/s",
                Fmt.PerSecond(portal), Fmt.PerSecond(baseline), Fmt.Ratio(ratio), $"≥ {RatioGoal(bench.Store.Provider, concurrency):0.00}×",
                ratio >= RatioGoal(bench.Store.Provider, concurrency) && portalFailures == 0,
                $"median of {portalRuns[concurrency].Count} rounds; p99 portal {Fmt.Ms(p99)} vs bare {Fmt.Ms(bareP99)}; " +
                $"failed requests portal {portalFailures}, bare {bareFailures}"));
        }

        var count = (int)Math.Round(settings.B1OpenRate * settings.B1OpenDuration.TotalSeconds);
        await pool.EnsureAsync(count, cancellationToken);
        var deliveries = Enumerable.Range(0, count).Select(_ => bench.Seeder.CompletedEvent(pool.Next(), "b1o")).ToArray();
        Console.WriteLine($"  open loop: {count} deliveries at {settings.B1OpenRate:0}/s on the portal");
        var open = await LoadLoops.OpenAsync(count, settings.B1OpenRate, (i, ct) => bench.DeliverAsync(deliveries[i], ct), cancellationToken);
        var p99Open = open.PercentileMs(99);
        bench.Report.Add(new ReportRow(Id, $"open loop {settings.B1OpenRate:0}/s for {settings.B1OpenDuration.TotalSeconds:0} s: p99",
            Fmt.Ms(p99Open), "-", "-", $"< {P99GoalMs(bench.Store.Provider):0} ms, 0 non-2xx", p99Open < P99GoalMs(bench.Store.Provider) && open.NonSuccess == 0 && open.Errors == 0,
            $"{open.Answered}/{open.Scheduled} answered in {Fmt.Seconds(open.Elapsed.TotalSeconds)} ({Fmt.PerSecond(open.Throughput)}); " +
            $"p50 {Fmt.Ms(open.PercentileMs(50))}, p90 {Fmt.Ms(open.PercentileMs(90))}, p99.9 {Fmt.Ms(open.PercentileMs(99.9))}, max {Fmt.Ms(open.MaxMs)}; {open.Failures()}"));

        if (bench.Store.Provider == StoreProvider.PostgreSql)
        {
            await CountStatementsAsync(bench, cancellationToken);
        }
    }

    /// <summary>
    /// Statements per fulfilled delivery on PostgreSQL, receipt job included: once the portal has no job left, the
    /// server's statement log is turned on (<see cref="StatementLog"/>), N signed deliveries are sent (closed loop),
    /// each closing its own open attempt, and the window ends when all N receipts are stored (the job that stores one
    /// completes with it). Every statement the portal's connections ran in the window counts, whatever it is, so the
    /// figure holds for any write path; the bench's own connections (application_name portal-bench) are left out.
    /// </summary>
    private async Task CountStatementsAsync(BenchContext bench, CancellationToken cancellationToken)
    {
        var settings = bench.Settings;
        var count = settings.StatementDeliveries;
        const string measure = "statements per fulfilled delivery (receipt job included)";
        var pool = new AttemptPool(bench.Seeder, $"acct_bench_{bench.RunId}_stmt");
        await pool.EnsureAsync(count, cancellationToken);
        var deliveries = Enumerable.Range(0, count).Select(_ => bench.Seeder.CompletedEvent(pool.Next(), "stmt")).ToArray();

        // The jobs of the earlier steps' fulfilments would otherwise be counted with these.
        var idle = await WaitAsync(bench, async db => await db.Jobs.CountAsync(j => j.CompletedAt == null, cancellationToken) == 0,
            TimeSpan.FromMinutes(2), cancellationToken);
        Console.WriteLine($"  statements: {count} deliveries at {settings.StatementSenders} senders, counted in the server's statement log" +
            (idle ? "" : " (NOTE: earlier jobs were still pending after 2 min; their statements count too)"));

        var (log, unavailable) = await StatementLog.StartAsync(bench.Postgres!, cancellationToken);
        if (log is null)
        {
            bench.Report.Add(new ReportRow(Id, measure, "n/a", "1 (bare)", "-", "≤ 8, no SAVEPOINT", null, $"not counted: {unavailable}"));
            return;
        }

        StatementCount counted;
        LoadResult sent;
        bool stored;
        await using (log)
        {
            sent = await LoadLoops.ClosedAsync(settings.StatementSenders, TimeSpan.FromMinutes(5), count,
                (i, ct) => bench.DeliverAsync(deliveries[i], ct), cancellationToken);
            var account = pool.AccountId;
            stored = await WaitAsync(bench, async db => await db.Receipts.CountAsync(
                    r => db.Attempts.Any(a => a.Id == r.AttemptId && a.AccountId == account), cancellationToken) >= count,
                TimeSpan.FromMinutes(2), cancellationToken);
            counted = await log.StopAsync(bench.Store.PortalDatabase!, BenchApps.PortalApplicationName, cancellationToken);
        }

        var receipts = await CountReceiptsAsync(bench, pool.AccountId, cancellationToken);
        var perDelivery = (double)counted.Statements / count;
        var savepointsPerDelivery = (double)counted.Savepoints / count;
        var transactionsPerDelivery = (double)counted.Transactions / count;
        var complete = stored && sent.Succeeded == count;
        var kinds = string.Join(", ", counted.ByKind.Take(8).Select(k => $"{k.Kind} {Fmt.PerDelivery((double)k.Count / count)}"));
        bench.Report.Add(new ReportRow(Id, measure,
            $"{Fmt.PerDelivery(perDelivery)} (of which SAVEPOINT/RELEASE {Fmt.PerDelivery(savepointsPerDelivery)}; {Fmt.PerDelivery(transactionsPerDelivery)} transactions)",
            "1 (bare)", "-", "≤ 8, no SAVEPOINT",
            complete ? perDelivery <= 8 && counted.Savepoints == 0 : null,
            $"{count} deliveries at {settings.StatementSenders} senders ({sent.Failures()}), {receipts}/{count} receipts stored, window {Fmt.Seconds(counted.Window.TotalSeconds)}; " +
            $"{counted.Statements} statements ({counted.Savepoints} SAVEPOINT/RELEASE/ROLLBACK TO) in {counted.Transactions} transactions: " +
            $"{Fmt.PerDelivery(transactionsPerDelivery)} transactions per delivery; per delivery by kind: {kinds}; " +
            "from the server's statement log (log_statement=all for the window, the portal's connections only: application_name portal)" +
            (complete ? "" : "; INCOMPLETE: not every delivery succeeded or not every receipt was stored, so no verdict")));
        Console.WriteLine($"  statements per fulfilled delivery (PostgreSQL): {Fmt.PerDelivery(perDelivery)} (of which SAVEPOINT/RELEASE: {Fmt.PerDelivery(savepointsPerDelivery)}), " +
            $"transactions per delivery: {Fmt.PerDelivery(transactionsPerDelivery)}");
    }

    private static async Task<int> CountReceiptsAsync(BenchContext bench, string account, CancellationToken cancellationToken)
    {
        await using var db = bench.Core.CreateDbContext();
        return await db.Receipts.CountAsync(r => db.Attempts.Any(a => a.Id == r.AttemptId && a.AccountId == account), cancellationToken);
    }

    /// <summary>Asks <paramref name="done"/> every 100 ms until it is true (true) or <paramref name="timeout"/> passes (false).</summary>
    private static async Task<bool> WaitAsync(BenchContext bench, Func<PortalDbContext, Task<bool>> done, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            await using (var db = bench.Core.CreateDbContext())
            {
                if (await done(db))
                {
                    return true;
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(100, cancellationToken);
        }
    }
}
