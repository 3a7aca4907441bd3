using System.Diagnostics;
using Portal.Bench.GateData;
using Portal.Bench.Hosting;
using Portal.Bench.Load;
using Portal.Bench.PortalData;
using Portal.Bench.Report;
using Portal.Bench.Webhooks;

namespace Portal.Bench;

/// <summary>
/// Everything a scenario works with in one pass: the running apps (0Gate's sandbox, the portal and the bare endpoint
/// on the pass's store), clients for them, the portal's store, the PostgreSQL server (PostgreSQL pass) and the report.
/// </summary>
public sealed class BenchContext : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];
    private CustomerCookies? _cookies;

    private BenchContext(BenchSettings settings, BenchReport report, string runId, BenchStore store, PostgresServer? postgres)
    {
        Postgres = postgres;
        Settings = settings;
        Report = report;
        RunId = runId;
        Store = store;
    }

    public BenchSettings Settings { get; }

    /// <summary>The store this pass runs the portal and the bare endpoint on.</summary>
    public BenchStore Store { get; }

    /// <summary>The server of the PostgreSQL pass (null on SQLite).</summary>
    public PostgresServer? Postgres { get; }
    public BenchReport Report { get; }
    public string RunId { get; }
    public BenchApps.PortalUrls Urls { get; private set; } = null!;
    public AppProcess Sandbox { get; private set; } = null!;
    public AppProcess Portal { get; private set; } = null!;
    public AppProcess? Bare { get; private set; }
    public AppProcess? EmptyBlazor { get; private set; }
    public HttpClient PortalClient { get; private set; } = null!;
    public HttpClient? BareClient { get; private set; }
    public PortalCore Core { get; private set; } = null!;
    public AttemptSeeder Seeder { get; private set; } = null!;
    public GateDeliverySigner Signer { get; } = new(BenchApps.WebhookSecret);

    /// <summary>Cookies minted with the portal's key ring (which exists once the portal has served a page).</summary>
    public CustomerCookies Cookies => _cookies ??= new CustomerCookies(Core);

    public static async Task<BenchContext> StartAsync(BenchSettings settings, BenchReport report, string runId, BenchStore store, PostgresServer? postgres, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(store.Directory);
        var context = new BenchContext(settings, report, runId, store, postgres);
        try
        {
            await context.StartAppsAsync(cancellationToken);
            return context;
        }
        catch
        {
            await context.DisposeAsync();
            throw;
        }
    }

    private async Task StartAppsAsync(CancellationToken cancellationToken)
    {
        var logs = Store.Directory;
        var pids = Path.Combine(Settings.DataDirectory, "pids");
        Urls = new BenchApps.PortalUrls(FreePorts.NextLoopbackUrl(), FreePorts.NextLoopbackUrl(), FreePorts.NextLoopbackUrl());
        // 0Gate first: a process of its own, as a remote service (the portal only knows its URL and keys).
        var started = Stopwatch.GetTimestamp();
        Sandbox = Own(await AppProcess.StartAsync("sandbox", Settings.SandboxApp, "Gate.Sandbox.dll", Urls.Sandbox, "/",
            BenchApps.Sandbox(Urls, Store), logs, pids, cancellationToken));
        Console.WriteLine($"bench: 0Gate sandbox ready on {Urls.Sandbox} in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s (pid {Sandbox.ProcessId})");

        Console.WriteLine($"bench: starting the portal on {Store.Name} on {Urls.Portal} (0Gate {Urls.Sandbox}, identity {Urls.Identity} in-process)");
        started = Stopwatch.GetTimestamp();
        Portal = Own(await AppProcess.StartAsync("portal", Settings.PortalApp, "Portal.dll", Urls.Portal, "/readyz",
            BenchApps.Portal(Urls, Store), logs, pids, cancellationToken));
        Console.WriteLine($"bench: portal ready in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s (pid {Portal.ProcessId})");
        PortalClient = BenchHttp.CreateClient(Urls.Portal);

        if (Settings.Runs("B1") || Settings.Runs("B3"))
        {
            var url = FreePorts.NextLoopbackUrl();
            Bare = Own(await AppProcess.StartAsync("bare", Settings.BareApp, "Bench.Bare.dll", url, "/readyz",
                BenchApps.Bare(url, Store), logs, pids, cancellationToken));
            BareClient = BenchHttp.CreateClient(url);
            Console.WriteLine($"bench: bare endpoint on {Store.Name} ready on {url} (pid {Bare.ProcessId})");
        }

        if (Settings.Runs("B4"))
        {
            var url = FreePorts.NextLoopbackUrl();
            EmptyBlazor = Own(await AppProcess.StartAsync("empty-blazor", Settings.EmptyBlazorApp, "Bench.EmptyBlazor.dll", url, "/",
                BenchApps.EmptyBlazor(url), logs, pids, cancellationToken));
            Console.WriteLine($"bench: empty Blazor Server app ready on {url} (pid {EmptyBlazor.ProcessId})");
        }

        Core = await PortalCore.OpenAsync(Store.Provider, Store.PortalConnectionStringFor(BenchApps.BenchApplicationName), Urls.Sandbox, Settings.PortalApp, migrate: false, cancellationToken);
        var gate = new SandboxTransactions(Store.SandboxConnectionString, BenchApps.PartnerId, Urls.Portal.ToString().TrimEnd('/') + "/checkout/return");
        Seeder = new AttemptSeeder(Core, gate, RunId);
    }

    private T Own<T>(T disposable) where T : IAsyncDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    /// <summary>A webhook delivery to the portal.</summary>
    public Task<int> DeliverAsync(GateDelivery delivery, CancellationToken cancellationToken) =>
        PortalClient.SendForStatusAsync(Signer.CreateRequest(delivery), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        PortalClient?.Dispose();
        BareClient?.Dispose();
        _cookies?.Dispose();
        if (Core is not null)
        {
            await Core.DisposeAsync();
        }

        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }
    }
}
