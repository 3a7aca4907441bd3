using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Attempts;
using Portal.Core.Persistence;
using Portal.Core.Records;

namespace Portal.Core.Admin;

/// <summary>
/// The chart data of the admin health page, from the store only: aggregates computed by the database over indexed
/// time ranges (<see cref="HealthQueries"/>), one context per call.
/// </summary>
public sealed class HealthCharts(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider time)
{
    private static readonly AttemptStatus[] AllStatuses = Enum.GetValues<AttemptStatus>();

    public async Task<IntegrationCharts> GetAsync(HealthWindow window, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var (from, count) = window.Buckets(now);
        var size = window.BucketSize();
        var to = from + (size * count);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var queries = HealthQueries.For(db);

        var processed = await queries.ProcessedByOutcomeAsync(db, from, to, size, cancellationToken);
        var rejected = await queries.RejectedByReasonAsync(db, from, to, size, cancellationToken);
        var firstLine = await TimelineWindow.FirstIdAtOrAfterAsync(db, from, cancellationToken);
        var duplicates = firstLine is { } first ? await queries.DuplicatesAsync(db, first, from, to, size, cancellationToken) : [];
        var latency = await queries.LatencyAsync(db, from, to, cancellationToken);

        var series = new List<TrafficSeries>();
        series.AddRange(Series(TrafficKind.Processed, processed, count, OutcomeOrder));
        series.AddRange(Series(TrafficKind.Duplicate, duplicates, count, _ => 0));
        series.AddRange(Series(TrafficKind.Rejected, rejected, count, _ => 0));
        var traffic = new WebhookTraffic([.. Enumerable.Range(0, count).Select(i => from + (size * i))], size, series);

        var (states, funnel) = await AttemptsAsync(db, from, cancellationToken);
        return new IntegrationCharts(window, from, to, traffic, LatencyBins(latency), states, funnel);
    }

    /// <summary>
    /// Attempts that changed in the window, by their state now; and, of those started in it, how far they got.
    /// Every attempt started in the window also changed in it, so both come from one pass over the
    /// <c>(Status, UpdatedAt)</c> index (the status list, always true, lets the database seek on it).
    /// </summary>
    private static async Task<(IReadOnlyList<AttemptStateCount>, AttemptFunnel)> AttemptsAsync(PortalDbContext db, DateTimeOffset from, CancellationToken ct)
    {
        var rows = await db.Attempts.AsNoTracking()
            .Where(a => AllStatuses.Contains(a.Status) && a.UpdatedAt >= from)
            .GroupBy(a => a.Status)
            .Select(g => new
            {
                Status = g.Key,
                Active = g.Count(),
                Started = g.Count(a => a.CreatedAt >= from),
                Hosted = g.Count(a => a.CreatedAt >= from && a.GateSessionId != null),
            })
            .ToListAsync(ct);

        var states = AllStatuses
            .Select(s => new AttemptStateCount(s, rows.Where(r => r.Status == s).Sum(r => r.Active)))
            .Where(s => s.Count > 0)
            .ToList();
        var funnel = new AttemptFunnel(
            rows.Sum(r => r.Started),
            rows.Sum(r => r.Hosted),
            rows.Where(r => r.Status.IsTerminal()).Sum(r => r.Started),
            rows.Where(r => r.Status == AttemptStatus.Fulfilled).Sum(r => r.Started));
        return (states, funnel);
    }

    private static IEnumerable<TrafficSeries> Series(TrafficKind kind, List<BucketCount> rows, int buckets, Func<string, int> order) =>
        rows.GroupBy(r => r.Key)
            .OrderBy(g => order(g.Key)).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var counts = new int[buckets];
                foreach (var row in g.Where(r => r.Bucket >= 0 && r.Bucket < buckets))
                {
                    counts[row.Bucket] += (int)row.Count;
                }

                return new TrafficSeries(kind, g.Key, counts);
            });

    private static int OutcomeOrder(string stored) =>
        Enum.GetValues<EventOutcome>().Select(o => SnakeCase.From(o.ToString())).ToList().IndexOf(stored) is var i and >= 0 ? i : int.MaxValue;

    private static List<LatencyBin> LatencyBins(List<BucketCount> rows)
    {
        var uppers = HealthQueries.LatencyBinUpperMilliseconds;
        var bins = new List<(string Label, string AxisLabel)> { ("signed ahead of our clock", "ahead") };
        var lower = 0L;
        foreach (var upper in uppers)
        {
            // "0–1 s" under the bar where both ends have the same unit; "30 s–5 min" where they do not.
            var axisLower = InMinutes(lower) == InMinutes(upper) ? Number(lower) : Seconds(lower);
            bins.Add(($"{Seconds(lower)}–{Seconds(upper)}", $"{axisLower}–{Seconds(upper)}"));
            lower = upper;
        }

        bins.Add(($"over {Seconds(lower)}", $"> {Seconds(lower)}"));
        return [.. bins.Select((bin, index) => new LatencyBin(bin.Label, bin.AxisLabel, (int)rows.Where(r => r.Bucket == index).Sum(r => r.Count)))];
    }

    private static bool InMinutes(long milliseconds) => milliseconds >= 60_000;

    private static string Number(long milliseconds) => (InMinutes(milliseconds) ? milliseconds / 60_000 : milliseconds / 1000).ToString(CultureInfo.InvariantCulture);

    private static string Seconds(long milliseconds) => InMinutes(milliseconds)
        ? $"{Number(milliseconds)} min"
        : $"{Number(milliseconds)} s";
}
