using System.Collections.Concurrent;
using System.Diagnostics;
using HdrHistogram;

namespace Portal.Bench.Load;

/// <summary>
/// Latencies (microseconds, HdrHistogram, 3 significant digits, up to 5 minutes) of requests that got an answer,
/// with 2xx, non-2xx (by status code) and transport errors (no answer at all) counted separately. Thread-safe.
/// </summary>
public sealed class LoadRecorder
{
    private const long HighestMicroseconds = 5L * 60 * 1_000_000;

    private readonly LongConcurrentHistogram _latencies = new(1, HighestMicroseconds, 3);
    private readonly ConcurrentDictionary<int, int> _nonSuccess = new();
    private readonly ConcurrentDictionary<string, int> _errors = new();
    private long _succeeded;
    private long _unfinished;

    public void Record(int statusCode, long elapsedTicks)
    {
        _latencies.RecordValue(Math.Clamp(elapsedTicks * 1_000_000 / Stopwatch.Frequency, 1, HighestMicroseconds));
        if (statusCode is >= 200 and < 300)
        {
            Interlocked.Increment(ref _succeeded);
        }
        else
        {
            _nonSuccess.AddOrUpdate(statusCode, 1, (_, count) => count + 1);
        }
    }

    public void RecordTransportError(Exception error) =>
        _errors.AddOrUpdate(error.GetType().Name, 1, (_, count) => count + 1);

    /// <summary>
    /// A request abandoned at the open loop's deadline: counted apart, and its latency so far recorded, so the
    /// percentiles are not flattered by leaving out the slowest requests.
    /// </summary>
    public void RecordUnfinished(long elapsedTicks)
    {
        _latencies.RecordValue(Math.Clamp(elapsedTicks * 1_000_000 / Stopwatch.Frequency, 1, HighestMicroseconds));
        Interlocked.Increment(ref _unfinished);
    }

    public LoadResult ToResult(TimeSpan elapsed, long scheduled) => new(
        scheduled,
        Interlocked.Read(ref _succeeded),
        new Dictionary<int, int>(_nonSuccess),
        new Dictionary<string, int>(_errors),
        Interlocked.Read(ref _unfinished),
        elapsed,
        _latencies.TotalCount == 0 ? null : (HistogramBase)_latencies.Copy());
}

/// <summary>What one load run measured.</summary>
public sealed record LoadResult(
    long Scheduled,
    long Succeeded,
    IReadOnlyDictionary<int, int> NonSuccessByStatus,
    IReadOnlyDictionary<string, int> TransportErrors,
    long Unfinished,
    TimeSpan Elapsed,
    HistogramBase? Latencies)
{
    public long NonSuccess => NonSuccessByStatus.Values.Sum();

    /// <summary>Requests that got no HTTP answer: transport errors and those abandoned at a deadline.</summary>
    public long Errors => TransportErrors.Values.Sum() + Unfinished;

    public long Answered => Succeeded + NonSuccess;

    /// <summary>Answered requests per second of wall time.</summary>
    public double Throughput => Elapsed > TimeSpan.Zero ? Answered / Elapsed.TotalSeconds : 0;

    public double PercentileMs(double percentile) => Latencies is null ? double.NaN : Latencies.GetValueAtPercentile(percentile) / 1000.0;

    public double MeanMs => Latencies is null ? double.NaN : Latencies.GetMean() / 1000.0;

    public double MaxMs => Latencies is null ? double.NaN : Latencies.GetMaxValue() / 1000.0;

    /// <summary>e.g. <c>0 non-2xx, 0 transport errors</c> or <c>3 non-2xx (503×3), 1 transport errors (HttpRequestException×1), 40 unanswered at the deadline</c>.</summary>
    public string Failures()
    {
        var nonSuccess = NonSuccess == 0 ? "0 non-2xx" : $"{NonSuccess} non-2xx ({string.Join(", ", NonSuccessByStatus.OrderBy(p => p.Key).Select(p => $"{p.Key}×{p.Value}"))})";
        var transport = TransportErrors.Values.Sum();
        var errors = transport == 0 ? "0 transport errors" : $"{transport} transport errors ({string.Join(", ", TransportErrors.Select(p => $"{p.Key}×{p.Value}"))})";
        return $"{nonSuccess}, {errors}" + (Unfinished > 0 ? $", {Unfinished} unanswered at the deadline" : "");
    }
}
