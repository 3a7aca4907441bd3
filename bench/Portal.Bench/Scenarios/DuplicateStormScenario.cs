using System.Diagnostics;
using Portal.Bench.Load;
using Portal.Bench.PortalData;
using Portal.Bench.Report;
using Portal.Bench.Webhooks;

namespace Portal.Bench.Scenarios;

/// <summary>
/// B2: a duplicate storm. Every event id is delivered several times, shuffled, many at once: afterwards exactly one
/// close per attempt, one processed-event row per id, every answer 2xx. Then what a duplicate costs next to a
/// first delivery: all first deliveries of a fresh set at the same concurrency, then all their repeats (goal ≤ 0.7×).
/// </summary>
public sealed class DuplicateStormScenario : IScenario
{
    private const double DuplicateCostGoal = 0.7;

    /// <summary>A bound on each phase, never reached at any sane rate.</summary>
    private static readonly TimeSpan PhaseLimit = TimeSpan.FromMinutes(5);

    public string Id => "B2";

    public string Title => "duplicate storm: exactly-once closes and the cost of a duplicate";

    public async Task RunAsync(BenchContext bench, CancellationToken cancellationToken)
    {
        var settings = bench.Settings;
        var events = settings.B2Events;
        var copies = settings.B2Copies;
        var concurrency = settings.B2Concurrency;

        // The storm: events × copies deliveries, shuffled, `concurrency` senders.
        var stormAccount = $"acct_bench_{bench.RunId}_b2storm";
        var stormAttempts = await bench.Seeder.SeedAsync(events, _ => stormAccount, cancellationToken);
        var stormEvents = stormAttempts.Select(a => bench.Seeder.CompletedEvent(a, "b2storm")).ToArray();
        var storm = Shuffle(stormEvents.SelectMany(e => Enumerable.Repeat(e, copies)), seed: 10);
        var firstSent = new HashSet<string>();
        var isFirst = storm.Select(d => firstSent.Add(d.EventId)).ToArray();
        var firstLatencies = new LoadRecorder();
        var repeatLatencies = new LoadRecorder();

        async Task<int> SendStormAsync(int i, CancellationToken ct)
        {
            var start = Stopwatch.GetTimestamp();
            var status = await bench.DeliverAsync(storm[i], ct);
            (isFirst[i] ? firstLatencies : repeatLatencies).Record(status, Stopwatch.GetTimestamp() - start);
            return status;
        }

        Console.WriteLine($"  storm: {storm.Length} deliveries over {events} event ids, {concurrency} senders");
        var result = await LoadLoops.ClosedAsync(concurrency, PhaseLimit, storm.Length, SendStormAsync, cancellationToken);
        var counts = await bench.Seeder.CountAsync(stormAccount, bench.Seeder.EventPrefix("b2storm"), cancellationToken);
        var exactlyOnce = counts.Fulfilled == events && counts.Open == 0 && counts.ClosingEntries == events && counts.ProcessedEvents == events
            && result.Succeeded == storm.Length;
        var first = firstLatencies.ToResult(result.Elapsed, events);
        var repeats = repeatLatencies.ToResult(result.Elapsed, storm.Length - events);
        bench.Report.Add(new ReportRow(Id, $"storm {storm.Length} deliveries / {events} ids, {concurrency} at once: attempts fulfilled",
            $"{counts.Fulfilled}/{events}", "-", "-", $"exactly {events}, each closed once, all 2xx", exactlyOnce,
            $"{counts.ClosingEntries} closing timeline entries, {counts.ProcessedEvents} processed-event rows, {counts.Open} still open; " +
            $"{result.Succeeded}/{storm.Length} 2xx ({result.Failures()}) at {Fmt.PerSecond(result.Throughput)}; " +
            $"p50 first-sent copy {Fmt.Ms(first.PercentileMs(50))}, repeated copies {Fmt.Ms(repeats.PercentileMs(50))}"));

        // The cost: a fresh set, first deliveries only, then only repeats, same senders.
        var costAccount = $"acct_bench_{bench.RunId}_b2cost";
        var costAttempts = await bench.Seeder.SeedAsync(events, _ => costAccount, cancellationToken);
        var uniques = costAttempts.Select(a => bench.Seeder.CompletedEvent(a, "b2cost")).ToArray();
        var duplicates = Shuffle(uniques.SelectMany(e => Enumerable.Repeat(e, copies - 1)), seed: 20);
        Console.WriteLine($"  cost: {uniques.Length} first deliveries, then {duplicates.Length} duplicates, {concurrency} senders each");
        var unique = await LoadLoops.ClosedAsync(concurrency, PhaseLimit, uniques.Length, (i, ct) => bench.DeliverAsync(uniques[i], ct), cancellationToken);
        var duplicate = await LoadLoops.ClosedAsync(concurrency, PhaseLimit, duplicates.Length, (i, ct) => bench.DeliverAsync(duplicates[i], ct), cancellationToken);
        var uniqueCostMs = 1000 / unique.Throughput;
        var duplicateCostMs = 1000 / duplicate.Throughput;
        var ratio = duplicateCostMs / uniqueCostMs;
        bench.Report.Add(new ReportRow(Id, "cost per duplicate vs per first delivery (wall time per delivery)",
            Fmt.Ms(duplicateCostMs), Fmt.Ms(uniqueCostMs), Fmt.Ratio(ratio), $"≤ {DuplicateCostGoal:0.0}×",
            ratio <= DuplicateCostGoal && unique.NonSuccess + unique.Errors + duplicate.NonSuccess + duplicate.Errors == 0,
            $"first deliveries {Fmt.PerSecond(unique.Throughput)} (p50 {Fmt.Ms(unique.PercentileMs(50))}, {unique.Failures()}), " +
            $"duplicates {Fmt.PerSecond(duplicate.Throughput)} (p50 {Fmt.Ms(duplicate.PercentileMs(50))}, {duplicate.Failures()})"));
    }

    private static GateDelivery[] Shuffle(IEnumerable<GateDelivery> deliveries, int seed)
    {
        var array = deliveries.ToArray();
#pragma warning disable CA5394 // A repeatable order, not a secret.
        new Random(seed).Shuffle(array);
#pragma warning restore CA5394
        return array;
    }
}
