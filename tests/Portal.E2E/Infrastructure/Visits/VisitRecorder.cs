using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;

namespace Portal.E2E.Infrastructure.Visits;

/// <summary>
/// What the portal does for one browser visit: the store commands its contexts run and the requests its 0Gate client
/// sends. Only work done on behalf of the visiting browser counts: <see cref="VisitMarker"/> tags every HTTP request
/// (the prerendering GET, and the WebSocket that carries the circuit) that carries the visit's cookie with an
/// <see cref="AsyncLocal{T}"/>, which flows into everything that request starts, the circuit's renders included.
/// The job runner, the sweeper, the change feed, webhook deliveries and health probes run outside any such request, so
/// they are never recorded; neither is Data Protection's key ring (a framework read, cached for the process).
/// </summary>
public sealed class VisitRecorder
{
    /// <summary>The cookie a browser context carries to mark its requests as the visit's.</summary>
    public const string CookieName = "portal-e2e-visit";

    private static readonly AsyncLocal<string?> Marked = new();

    private readonly ConcurrentQueue<StoreCommand> _commands = new();
    private readonly ConcurrentQueue<string> _gateRequests = new();
    private volatile string? _visit;
    private long _lastRecordedAt;

    /// <summary>The visit the current async flow works for, if any (set by <see cref="VisitMarker"/>).</summary>
    internal static string? CurrentVisit
    {
        get => Marked.Value;
        set => Marked.Value = value;
    }

    public void AddTo(IServiceCollection services)
    {
        services.AddSingleton<IStartupFilter>(new VisitMarker());
        services.AddSingleton<IInterceptor>(new StoreCommandRecorder(this));
        services.AddSingleton<IHttpMessageHandlerBuilderFilter>(new GateRequestRecorderFilter(this));
    }

    /// <summary>Starts recording a new visit; returns its id, the value of <see cref="CookieName"/>.</summary>
    public string Start()
    {
        _commands.Clear();
        _gateRequests.Clear();
        var visit = Guid.NewGuid().ToString("n");
        Interlocked.Exchange(ref _lastRecordedAt, Stopwatch.GetTimestamp());
        _visit = visit;
        return visit;
    }

    /// <summary>Stops recording and returns what the visit did.</summary>
    public RecordedVisit Stop(string path)
    {
        _visit = null;
        return new RecordedVisit(path, [.. _commands], [.. _gateRequests]);
    }

    /// <summary>
    /// Waits until the visit has done nothing for <paramref name="quiet"/> (a read that lands after the page showed its
    /// data must not escape the count), failing after <paramref name="limit"/>.
    /// </summary>
    public async Task SettledAsync(TimeSpan quiet, TimeSpan limit)
    {
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastRecordedAt)) < quiet)
        {
            if (Stopwatch.GetElapsedTime(started) > limit)
            {
                throw new TimeoutException($"The visit kept reading for more than {limit.TotalSeconds:0} s after its page showed its data.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }

    internal bool Recording => _visit is { } visit && CurrentVisit == visit;

    internal void Add(StoreCommand command)
    {
        _commands.Enqueue(command);
        Interlocked.Exchange(ref _lastRecordedAt, Stopwatch.GetTimestamp());
    }

    internal void AddGateRequest(string request)
    {
        _gateRequests.Enqueue(request);
        Interlocked.Exchange(ref _lastRecordedAt, Stopwatch.GetTimestamp());
    }
}
