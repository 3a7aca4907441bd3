using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Portal.Core.Hosting;
using Portal.Core.Attempts;
using Portal.Core.Checkout;
using Portal.Core.LiveUpdates;
using Portal.Core.Persistence;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Faults;

/// <summary>
/// The several-instances deployment as real processes, on a PostgreSQL cluster the test owns (so it may restart it):
/// the cluster (<see cref="OwnPostgresCluster"/>), migrated once by the deploy step <c>portal migrate</c>; two built
/// portals <c>a</c> and <c>b</c> in Production; nginx with the shipped <c>deploy/nginx/portal-instances.conf.template</c>
/// and a throw-away certificate; 0Gate's API as a <see cref="LoopbackGate"/> answering receipt reads, so the receipt
/// jobs run for real. Every port is a free loopback port.
/// </summary>
public sealed class InstancesOnOwnPostgresFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("portal-faults-pg-");
    private readonly Dictionary<string, int> _ports = new() { ["a"] = Wait.FreeLoopbackPort(), ["b"] = Wait.FreeLoopbackPort() };
    private readonly Dictionary<string, ChildProcess> _instances = [];
    private OwnPostgresCluster? _cluster;
    private LoopbackGate? _gate;
    private ChildProcess? _nginx;
    private ServiceProvider? _core;
    private string _database = "";
    private string _thumbprint = "";

    public int ProxyPort { get; } = Wait.FreeLoopbackPort();

    internal OwnPostgresCluster Cluster => _cluster ?? throw new InvalidOperationException("The fixture did not start.");

    internal LoopbackGate Gate => _gate ?? throw new InvalidOperationException("The fixture did not start.");

    public string Database => _database;

    public async Task InitializeAsync()
    {
        if (FaultPrerequisites.MissingForPostgres is not null)
        {
            return;
        }

        try
        {
            _cluster = await OwnPostgresCluster.StartAsync();
            _database = await _cluster.CreateDatabaseAsync("portal_faults");
            _gate = await LoopbackGate.StartAsync();
            await using (var migrate = ChildProcess.Start(
                "portal migrate", BuiltPrograms.DotnetHost, [BuiltPrograms.PortalDll, "migrate"],
                new Dictionary<string, string?>
                {
                    ["ASPNETCORE_ENVIRONMENT"] = "Production",
                    ["Store__Provider"] = "PostgreSql",
                    ["ConnectionStrings__Portal"] = _database,
                },
                _directory.FullName))
            {
                (await migrate.WaitForExitAsync(StartTimeout)).ShouldBe(0, migrate.Describe());
            }

            _core = BuildCore(_database, _directory.FullName);
            foreach (var instance in _ports.Keys)
            {
                _instances[instance] = StartInstance(instance);
            }

            var nginxDirectory = Directory.CreateDirectory(Path.Combine(_directory.FullName, "nginx")).FullName;
            var (certificate, key, thumbprint) = ThrowAwayNginx.WriteSelfSignedCertificate(nginxDirectory);
            _thumbprint = thumbprint;
            var site = ThrowAwayNginx.RenderTemplate("portal-instances.conf.template", new Dictionary<string, string>
            {
                ["PORTAL_LISTEN"] = $"127.0.0.1:{ProxyPort}",
                ["PORTAL_SERVER_NAME"] = "127.0.0.1",
                ["PORTAL_INSTANCES"] = string.Join(' ', _ports.Values.Select(port => $"server 127.0.0.1:{port} fail_timeout=2s;")),
                ["PORTAL_CERTIFICATE"] = certificate,
                ["PORTAL_CERTIFICATE_KEY"] = key,
            });
            _nginx = ThrowAwayNginx.Start(ThrowAwayNginx.FindBinary()!, nginxDirectory, site);

            using var direct = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            await Task.WhenAll(_ports.Keys.Select(instance =>
                Wait.UntilHealthyAsync(direct, InstanceOrigin(instance) + "/readyz", _instances[instance], StartTimeout)));
            using var proxy = CreateProxyClient();
            await Wait.UntilHealthyAsync(proxy, $"https://127.0.0.1:{ProxyPort}/readyz", _nginx, StartTimeout);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public string InstanceOrigin(string instance) => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{_ports[instance]}");

    /// <summary>A client for nginx (https) trusting exactly the throw-away certificate; long timeout: answers are timed by the test.</summary>
    public HttpClient CreateProxyClient() =>
        new(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 256,
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == _thumbprint },
        })
        {
            BaseAddress = new Uri(string.Create(CultureInfo.InvariantCulture, $"https://127.0.0.1:{ProxyPort}")),
            Timeout = TimeSpan.FromSeconds(30),
        };

    public HttpClient CreateInstanceClient(string instance) =>
        new() { BaseAddress = new Uri(InstanceOrigin(instance)), Timeout = TimeSpan.FromSeconds(30) };

    internal ChildProcess Instance(string instance) => _instances[instance];

    public void Kill(string instance) => _instances[instance].Kill();

    /// <summary>Starts <paramref name="instance"/> again if a test killed it, and waits until it is ready.</summary>
    public async Task EnsureRunningAsync(string instance)
    {
        if (!_instances[instance].HasExited)
        {
            return;
        }

        await _instances[instance].DisposeAsync();
        var process = _instances[instance] = StartInstance(instance);
        using var direct = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Wait.UntilHealthyAsync(direct, InstanceOrigin(instance) + "/readyz", process, StartTimeout);
    }

    /// <summary>Attempts waiting for 0Gate (session attached), written through the product's own write path.</summary>
    public async Task<List<(string AttemptId, string SessionId)>> SeedAttemptsAsync(int count)
    {
        var writer = _core!.GetRequiredService<AttemptWriter>();
        var seeded = new System.Collections.Concurrent.ConcurrentBag<(string, string)>();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            var attempt = await writer.CreateAsync(new NewAttempt($"acct-fault-{i % 50}", CheckoutFlow.OnRamp, 10m, "EUR", "USDC", "base"), ct);
            var session = "gs_" + Guid.NewGuid().ToString("n");
            await writer.AttachSessionAsync(attempt.Id, session, null, ct);
            seeded.Add((attempt.Id, session));
        });
        return [.. seeded];
    }

    public async Task<T> QueryAsync<T>(Func<PortalDbContext, Task<T>> query)
    {
        await using var db = await _core!.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await query(db);
    }

    /// <summary>The <c>application_name</c>s of the sessions that ran <c>LISTEN</c> (the instances' change listeners).</summary>
    public async Task<List<string>> ListeningSessionsAsync()
    {
        await using var connection = new NpgsqlConnection(Cluster.ConnectionString("postgres") + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT application_name FROM pg_stat_activity WHERE datname = 'portal_faults' AND query ILIKE 'LISTEN %'", connection);
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    public string Describe() =>
        string.Join("\n\n", _instances.Values.Append(_nginx).OfType<ChildProcess>().Select(p => p.Describe()))
        + "\n\nnginx error log:\n" + ThrowAwayNginx.ReadErrorLog(Path.Combine(_directory.FullName, "nginx"))
        + "\n\npostgres log:\n" + (_cluster?.Log ?? "(none)");

    public async Task DisposeAsync()
    {
        foreach (var process in _instances.Values.Append(_nginx).OfType<ChildProcess>())
        {
            await process.DisposeAsync();
        }

        _instances.Clear();
        if (_core is not null)
        {
            await _core.DisposeAsync();
        }

        if (_gate is not null)
        {
            await _gate.DisposeAsync();
        }

        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        try
        {
            _directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // The OS temp cleaner gets it.
        }
    }

    private ChildProcess StartInstance(string instance)
    {
        var directory = Directory.CreateDirectory(Path.Combine(_directory.FullName, instance)).FullName;
        var settings = PortalProcess.ProductionSettings(directory, _ports[instance], new Dictionary<string, string?>
        {
            ["Portal__InstanceName"] = instance,
            ["Store__Provider"] = "PostgreSql",
            ["ConnectionStrings__Portal"] = _database,
            ["Store__MigrateOnStart"] = "false",
            ["Gate__ApiBaseUrl"] = Gate.Origin,
            // The listener says when it (re)subscribes: the restart test reads that line.
            ["Logging__LogLevel__Portal.Core.LiveUpdates.PostgresChangeListener"] = "Information",
        });
        return PortalProcess.Start(settings, directory);
    }

    private static ServiceProvider BuildCore(string connectionString, string contentRoot)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Store:Provider"] = "PostgreSql",
            ["ConnectionStrings:Portal"] = connectionString,
            ["Store:MigrateOnStart"] = "false",
            ["Portal:InstanceName"] = "test",
            ["Gate:ApiBaseUrl"] = "http://127.0.0.1:9",
            ["Gate:HostedBaseUrl"] = "http://127.0.0.1:9",
            ["Gate:SecretKey"] = "sk_test_faults",
            ["Gate:PublishableKey"] = "pk_test_faults",
            ["Gate:WebhookSecrets:0"] = PortalAppFactory.WebhookSecret,
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddPortalCoreServices(configuration, contentRoot, development: false);
        return services.BuildServiceProvider();
    }
}

/// <summary>A fault test that needs nginx and PostgreSQL's server programs; skipped with the reason elsewhere.</summary>
public sealed class PostgresFaultFactAttribute : FactAttribute
{
    public PostgresFaultFactAttribute()
    {
        if (FaultPrerequisites.MissingForPostgres is { } reason)
        {
            Skip = reason;
        }
    }
}

internal static class FaultPrerequisites
{
    public static string? MissingForPostgres { get; } =
        ThrowAwayNginx.FindBinary() is null
            ? "nginx is not installed: ./test.sh installs Debian's nginx package."
            : OwnPostgresCluster.Missing;
}
