using System.Diagnostics;

namespace Portal.Bench.Load;

/// <summary>
/// The two ways of offering load. Both are bounded in count and in time, and both measure per request from the
/// moment it was meant to start.
/// </summary>
public static class LoadLoops
{
    /// <summary>How long a single request may take before it counts as a transport error.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Open loop: request <c>i</c> is due at <c>t0 + i / rate</c> whatever happened to earlier ones, and its latency is
    /// <c>answer time − due time</c>, so a stalled server is charged for every request it delayed (no coordinated
    /// omission). A request that waits for one of the <paramref name="maxInFlight"/> slots, or is sent late because the
    /// generator itself is behind, is charged the same way. Requests still unanswered <paramref name="drainTime"/>
    /// after the last one was due are abandoned and counted as unfinished, with their latency so far.
    /// </summary>
    /// <param name="send">Sends request <c>i</c> and returns its HTTP status code.</param>
    public static async Task<LoadResult> OpenAsync(
        int count, double ratePerSecond, Func<int, CancellationToken, Task<int>> send, CancellationToken cancellationToken,
        int maxInFlight = 2000, TimeSpan? drainTime = null)
    {
        var recorder = new LoadRecorder();
        var interval = Stopwatch.Frequency / ratePerSecond;
        var requests = new List<Task>(count);
        using var slots = new SemaphoreSlim(maxInFlight);
        var drain = drainTime ?? TimeSpan.FromSeconds(Math.Max(10, count / ratePerSecond / 2));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(count / ratePerSecond) + drain);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < count && !deadline.IsCancellationRequested; i++)
        {
            var due = start + (long)(i * interval);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait, cancellationToken);
            }

            requests.Add(SendOpenAsync(i, due, send, slots, recorder, deadline.Token, cancellationToken));
        }

        await Task.WhenAll(requests);
        return recorder.ToResult(Stopwatch.GetElapsedTime(start), count);
    }

    private static async Task SendOpenAsync(
        int index, long due, Func<int, CancellationToken, Task<int>> send, SemaphoreSlim slots, LoadRecorder recorder,
        CancellationToken deadline, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var holding = false;
        try
        {
            await slots.WaitAsync(deadline);
            holding = true;
            var status = await send(index, deadline);
            recorder.Record(status, Stopwatch.GetTimestamp() - due);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            recorder.RecordUnfinished(Stopwatch.GetTimestamp() - due);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            recorder.RecordTransportError(ex);
        }
        finally
        {
            if (holding)
            {
                slots.Release();
            }
        }
    }

    /// <summary>
    /// Closed loop: <paramref name="concurrency"/> senders, each sending its next request as soon as the previous one
    /// answered, until <paramref name="duration"/> has passed or <paramref name="maxRequests"/> were started.
    /// Throughput is answered requests over the time until the last sender finished.
    /// </summary>
    public static async Task<LoadResult> ClosedAsync(int concurrency, TimeSpan duration, int maxRequests, Func<int, CancellationToken, Task<int>> send, CancellationToken cancellationToken)
    {
        var recorder = new LoadRecorder();
        var next = -1;
        var start = Stopwatch.GetTimestamp();
        var stopAt = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);

        async Task SenderAsync()
        {
            await Task.Yield();
            while (Stopwatch.GetTimestamp() < stopAt && !cancellationToken.IsCancellationRequested)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= maxRequests)
                {
                    return;
                }

                await SendOneAsync(i, Stopwatch.GetTimestamp(), send, recorder, cancellationToken);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => SenderAsync()));
        return recorder.ToResult(Stopwatch.GetElapsedTime(start), Math.Min(next + 1, maxRequests));
    }

    private static async Task SendOneAsync(int index, long due, Func<int, CancellationToken, Task<int>> send, LoadRecorder recorder, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            var status = await send(index, cancellationToken);
            recorder.Record(status, Stopwatch.GetTimestamp() - due);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException && !cancellationToken.IsCancellationRequested)
        {
            recorder.RecordTransportError(ex);
        }
    }
}
