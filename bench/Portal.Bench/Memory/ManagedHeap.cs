using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace Portal.Bench.Memory;

/// <summary>The managed heap of a process right after a full blocking GC.</summary>
/// <param name="LiveBytes">Bytes that survived the full GC (objects still reachable), all generations, LOH and POH.</param>
/// <param name="HeapBytes">The size of all generations after that GC (live objects plus fragmentation).</param>
public sealed record HeapSnapshot(long LiveBytes, long HeapBytes);

/// <summary>
/// Measures another .NET process's heap without any endpoint in it, through its diagnostics port (EventPipe, as
/// <c>dotnet-gcdump</c> and <c>dotnet-trace</c> do): starting a session with the runtime provider's
/// <c>GCHeapCollect</c> keyword makes the runtime run a full blocking (induced) GC, and the <c>GC</c> keyword
/// reports that GC's <c>GCHeapStats</c>: promoted (surviving) bytes per generation and generation sizes.
/// </summary>
public static class ManagedHeap
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Two induced full GCs in a row (the first lets finalizable objects go); the second one's numbers.</summary>
    public static async Task<HeapSnapshot> MeasureAsync(int processId, CancellationToken cancellationToken)
    {
        await InducedFullGcAsync(processId, cancellationToken);
        return await InducedFullGcAsync(processId, cancellationToken);
    }

    private static async Task<HeapSnapshot> InducedFullGcAsync(int processId, CancellationToken cancellationToken)
    {
        var client = new DiagnosticsClient(processId);
        var keywords = (long)(ClrTraceEventParser.Keywords.GC | ClrTraceEventParser.Keywords.GCHeapCollect);
        var providers = new[] { new EventPipeProvider(ClrTraceEventParser.ProviderName, EventLevel.Informational, keywords) };
        using var session = await client.StartEventPipeSessionAsync(providers, requestRundown: false, circularBufferMB: 64, cancellationToken);
        var snapshot = new TaskCompletionSource<HeapSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
        var reading = Task.Run(() =>
        {
            using var source = new EventPipeEventSource(session.EventStream);
            var fullBlockingGc = false;
            source.Clr.GCStart += e => fullBlockingGc = e.Depth == 2 && e.Type != GCType.BackgroundGC;
            source.Clr.GCHeapStats += e =>
            {
                if (fullBlockingGc)
                {
                    snapshot.TrySetResult(new HeapSnapshot(
                        e.TotalPromotedSize0 + e.TotalPromotedSize1 + e.TotalPromotedSize2 + e.TotalPromotedSize3 + e.TotalPromotedSize4,
                        e.GenerationSize0 + e.GenerationSize1 + e.GenerationSize2 + e.GenerationSize3 + e.GenerationSize4));
                }
            };
            source.Process();
        }, CancellationToken.None);

        try
        {
            return await snapshot.Task.WaitAsync(Timeout, cancellationToken);
        }
        finally
        {
            await session.StopAsync(CancellationToken.None);
            await reading.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
        }
    }
}
