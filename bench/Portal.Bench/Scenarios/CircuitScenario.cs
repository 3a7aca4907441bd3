using System.Diagnostics;
using Portal.Bench.Browsers;
using Portal.Bench.Hosting;
using Portal.Bench.Memory;
using Portal.Bench.Report;

namespace Portal.Bench.Scenarios;

/// <summary>
/// B4: what an open outcome page costs the server. N pages (each its own signed-in customer and attempt on
/// <c>/checkout/{id}/status</c>) in headless Chromium; the portal's managed heap after a full GC with N circuits
/// minus with none, over N, against the same measurement of the empty Blazor Server template's page (goal ≤ 1.5×,
/// docs/architecture.md#performance-contract).
/// Then the pages are left and the heap must come back within the disconnected-circuit retention.
/// </summary>
public sealed class CircuitScenario : IScenario
{
    private const double PerCircuitGoal = 1.5;

    /// <summary>"Back" means at most this share of the N-circuit growth is still on the heap.</summary>
    private const double ReturnTolerance = 0.10;

    /// <summary>Blazor's default <c>CircuitOptions.DisconnectedCircuitRetentionPeriod</c>; neither app exposes it as configuration.</summary>
    private static readonly TimeSpan DefaultRetention = TimeSpan.FromMinutes(3);

    /// <summary>Slack on top of the retention: the expired circuit's eviction, the 2 s between looks, the look itself.</summary>
    private static readonly TimeSpan ReturnSlack = TimeSpan.FromSeconds(10);

    public string Id => "B4";

    public string Title => "circuits: managed heap per open outcome page vs the empty Blazor Server template";

    public async Task RunAsync(BenchContext bench, CancellationToken cancellationToken)
    {
        var settings = bench.Settings;
        var empty = bench.EmptyBlazor ?? throw new InvalidOperationException("B4 needs the empty Blazor app.");
        var n = settings.B4Circuits;
        var customers = await SignedInCustomers.CreateAsync(bench, "b4", n + 2, cancellationToken);
        await customers.VerifyAsync(bench.PortalClient, cancellationToken);

        // Every page on a host of its own (see CircuitPages), for both apps alike.
        CircuitPage PortalPage(int i) => new(CircuitPages.PageUrl(bench.Urls.Portal, $"c{i}.portal", $"/checkout/{customers.Attempt(i).AttemptId}/status"), customers.CookieValues[i]);
        CircuitPage EmptyPage(int i) => new(CircuitPages.PageUrl(empty.BaseAddress, $"c{i}.empty", "/"), null);

        var emptyResult = await MeasureAsync(bench, "empty template", empty, EmptyPage, cancellationToken);
        var portalResult = await MeasureAsync(bench, "portal", bench.Portal, PortalPage, cancellationToken);

        var ratio = portalResult.PerCircuitBytes / emptyResult.PerCircuitBytes;
        bench.Report.Add(new ReportRow(Id, $"{n} open pages: managed heap per circuit (live bytes after full GC)",
            Fmt.KiB(portalResult.PerCircuitBytes), Fmt.KiB(emptyResult.PerCircuitBytes), Fmt.Ratio(ratio), $"≤ {PerCircuitGoal:0.0}×", ratio <= PerCircuitGoal,
            $"portal {portalResult.Describe()}; empty template {emptyResult.Describe()}"));

        var limit = Fmt.Seconds(settings.B4ReturnTimeout.TotalSeconds);
        bench.Report.Add(new ReportRow(Id, $"after leaving the pages: heap back within {ReturnTolerance:P0} of the growth",
            portalResult.ReturnedAfter is { } p ? Fmt.Seconds(p.TotalSeconds) : $"not within {limit}",
            emptyResult.ReturnedAfter is { } e ? Fmt.Seconds(e.TotalSeconds) : $"not within {limit}", "-",
            $"≤ retention ({DefaultRetention.TotalMinutes:0} min) + {ReturnSlack.TotalSeconds:0} s",
            portalResult.ReturnedAfter is { } back ? back <= DefaultRetention + ReturnSlack
                : settings.B4ReturnTimeout >= DefaultRetention + ReturnSlack ? false : null,
            $"portal {portalResult.DescribeReturn()}; empty template {emptyResult.DescribeReturn()}; " +
            (settings.B4Vanish ? "the browsers just closed (circuits left disconnected); " : "pages navigate away (Blazor's unload beacon ends the circuit at once); ") +
            $"disconnected circuits are kept {DefaultRetention.TotalMinutes:0} min (CircuitOptions default, not configurable in the portal)" +
            (portalResult.ReturnedAfter is null && settings.B4ReturnTimeout < DefaultRetention + ReturnSlack ? $"; the wait ({limit}) was shorter than that retention, so this is no verdict" : "")));
    }

    private static async Task<CircuitMeasurement> MeasureAsync(BenchContext bench, string name, AppProcess app, Func<int, CircuitPage> pageFor, CancellationToken cancellationToken)
    {
        var settings = bench.Settings;
        var n = settings.B4Circuits;
        await using var browser = await CircuitPages.CreateAsync(settings.Chromium);

        // Warm-up: the first circuits pay one-time costs (component metadata, JIT, caches) that are not per circuit.
        await browser.OpenAsync([pageFor(n), pageFor(n + 1)], 2, 2, cancellationToken);
        await browser.LeaveAllAsync(vanish: false, 2, cancellationToken);

        var before = await ManagedHeap.MeasureAsync(app.ProcessId, cancellationToken);
        var opening = Stopwatch.StartNew();
        await browser.OpenAsync([.. Enumerable.Range(0, n).Select(pageFor)], settings.B4PagesPerBrowser, settings.B4ParallelLoads, cancellationToken);
        var openSeconds = opening.Elapsed.TotalSeconds;
        var with = await ManagedHeap.MeasureAsync(app.ProcessId, cancellationToken);
        Console.WriteLine($"  {name}: {n} circuits open in {openSeconds:0.0} s; live heap {Fmt.MiB(before.LiveBytes)} → {Fmt.MiB(with.LiveBytes)}");

        await browser.LeaveAllAsync(settings.B4Vanish, settings.B4ParallelLoads, cancellationToken);
        var growth = with.LiveBytes - before.LiveBytes;
        var threshold = before.LiveBytes + (long)(growth * ReturnTolerance);
        var leaving = Stopwatch.StartNew();
        TimeSpan? returned = null;
        var last = with;
        while (leaving.Elapsed < settings.B4ReturnTimeout)
        {
            last = await ManagedHeap.MeasureAsync(app.ProcessId, cancellationToken);
            if (last.LiveBytes <= threshold)
            {
                returned = leaving.Elapsed;
                break;
            }

            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        }

        Console.WriteLine($"  {name}: after leaving, live heap {Fmt.MiB(last.LiveBytes)} ({(returned is { } r ? $"back after {r.TotalSeconds:0.0} s" : "not back yet")})");
        return new CircuitMeasurement(n, before, with, last, returned);
    }

    private sealed record CircuitMeasurement(int Circuits, HeapSnapshot Before, HeapSnapshot With, HeapSnapshot After, TimeSpan? ReturnedAfter)
    {
        public double PerCircuitBytes => (double)(With.LiveBytes - Before.LiveBytes) / Circuits;

        public string Describe() =>
            $"live {Fmt.MiB(Before.LiveBytes)} with 0 circuits → {Fmt.MiB(With.LiveBytes)} with {Circuits} (heap incl. fragmentation {Fmt.MiB(Before.HeapBytes)} → {Fmt.MiB(With.HeapBytes)})";

        public string DescribeReturn() => $"live {Fmt.MiB(After.LiveBytes)} at the last look";
    }
}
