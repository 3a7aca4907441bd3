using Portal.Bench.Load;
using Portal.Bench.PortalData;
using Portal.Bench.Report;

namespace Portal.Bench.Scenarios;

/// <summary>
/// B1: webhook ingest. Closed loop at each sender count, the bare endpoint and the portal alternating round by round
/// (throughput each, ratio of medians; goal portal ≥ 1.0× bare), then an open loop at a fixed rate on the portal
/// (goal p99 &lt; 50 ms and no non-2xx). Every portal delivery closes its own seeded, open attempt.
/// </summary>
public sealed class IngestScenario : IScenario
{
    private const double P99GoalMs = 50;

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
                Fmt.PerSecond(portal), Fmt.PerSecond(baseline), Fmt.Ratio(ratio), "≥ 1.00×", ratio >= 1.0 && portalFailures == 0,
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
            Fmt.Ms(p99Open), "-", "-", $"< {P99GoalMs:0} ms, 0 non-2xx", p99Open < P99GoalMs && open.NonSuccess == 0 && open.Errors == 0,
            $"{open.Answered}/{open.Scheduled} answered in {Fmt.Seconds(open.Elapsed.TotalSeconds)} ({Fmt.PerSecond(open.Throughput)}); " +
            $"p50 {Fmt.Ms(open.PercentileMs(50))}, p90 {Fmt.Ms(open.PercentileMs(90))}, p99.9 {Fmt.Ms(open.PercentileMs(99.9))}, max {Fmt.Ms(open.MaxMs)}; {open.Failures()}"));
    }
}
