using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Hosting;
using Portal.Core.Attempts;
using Portal.Core.Checkout;
using Portal.Core.Persistence;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Support;

/// <summary>
/// Portal.Core exactly as the host registers it (<c>AddPortalCoreServices</c>), without the web host: a
/// migrated temporary SQLite file, an optional clock, and 0Gate at <paramref name="gateBaseUrl"/> (a closed
/// loopback port by default, i.e. "0Gate is down").
/// </summary>
internal sealed class CoreHarness : IAsyncDisposable
{
    private readonly string _directory;
    private readonly ServiceProvider _services;
    private readonly string? _postgres;

    private CoreHarness(string directory, ServiceProvider services, string? postgres)
    {
        _directory = directory;
        _services = services;
        _postgres = postgres;
    }

    public IServiceProvider Services => _services;

    /// <summary>This harness's PostgreSQL database (null on SQLite, or when it shares another harness's).</summary>
    public string? PostgresDatabase => _postgres;

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    /// <summary>Scoped services (<c>CheckoutService</c>, <c>SupportReconciler</c>) from a fresh scope.</summary>
    public AsyncServiceScope Scope() => _services.CreateAsyncScope();

    public static async Task<CoreHarness> StartAsync(
        TimeProvider? time = null, Uri? gateBaseUrl = null, string secretKey = "sk_test_core_harness", string publishableKey = "pk_test_core_harness",
        HttpMessageHandler? gateHandler = null, IEnumerable<KeyValuePair<string, string?>>? settings = null,
        StoreProvider provider = StoreProvider.Sqlite, Action<IServiceCollection>? configureServices = null, string? sharedPostgresDatabase = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "portal-core-tests", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(directory);
        // A shared database belongs to whoever created it (another harness: a second instance on the same store).
        var postgres = provider == StoreProvider.PostgreSql ? sharedPostgresDatabase ?? PostgresServer.CreateDatabase() : null;
        var gate = (gateBaseUrl ?? new Uri("http://127.0.0.1:9")).ToString();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Store:Provider"] = provider.ToString(),
            ["ConnectionStrings:Portal"] = postgres ?? $"Data Source={Path.Combine(directory, "portal.db")};Pooling=False",
            ["Gate:ApiBaseUrl"] = gate,
            ["Gate:HostedBaseUrl"] = gate,
            ["Gate:SecretKey"] = secretKey,
            ["Gate:PublishableKey"] = publishableKey,
            ["Gate:WebhookSecrets:0"] = "whsec_core_harness",
            ["RateLimits:CheckoutStartsPerMinute"] = "100000",
            ["RateLimits:ReconcilesPerMinute"] = "100000",
            ["Sweeper:Enabled"] = "false",
        }).AddInMemoryCollection(settings ?? []).Build();

        var services = new ServiceCollection();
        configureServices?.Invoke(services);
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        services.AddPortalCoreServices(configuration, directory);
        if (gateHandler is not null)
        {
            // 0Gate is the edge: the client's HTTP goes to a scripted stand-in.
            services.AddHttpClient(Portal.Core.Gate.GateClient.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => gateHandler);
        }

        var serviceProvider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        await using (var db = await serviceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            await db.Database.MigrateAsync();
        }

        return new CoreHarness(directory, serviceProvider, sharedPostgresDatabase is null ? postgres : null);
    }

    public async Task<T> WithDbAsync<T>(Func<PortalDbContext, Task<T>> work)
    {
        await using var db = await Get<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await work(db);
    }

    /// <summary>An attempt for <paramref name="accountId"/>, optionally with a 0Gate session attached (requires_action).</summary>
    public async Task<CheckoutAttempt> AttemptAsync(string accountId = "acct_alice", string? sessionId = null, decimal amount = 25m)
    {
        var attempts = Get<AttemptWriter>();
        var attempt = await attempts.CreateAsync(new NewAttempt(accountId, CheckoutFlow.OnRamp, amount, "EUR", "USDC", "polygon"), default);
        return sessionId is null ? attempt : (await attempts.AttachSessionAsync(attempt.Id, sessionId, "req_test", default)).Attempt!;
    }

    /// <summary>Closes the attempt as a signed webhook would.</summary>
    public Task<AttemptUpdate> CloseAsync(string attemptId, AttemptStatus outcome, string? txRefId = null) =>
        Get<AttemptWriter>().UpdateAsync(attemptId, (attempt, now) =>
            attempt.Close(outcome, new CloseCause(AttemptCloser.Webhook, "a signed event (test)", "evt_test", txRefId), now), default);

    /// <summary>What the webhook path does when a conflicting event arrives after the attempt closed.</summary>
    public Task FlagForReviewAsync(string attemptId) =>
        Get<AttemptWriter>().UpdateAsync(attemptId, (attempt, now) =>
        {
            attempt.FlagConflict(now);
            return ChangeOutcome.Moved;
        }, default);

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_postgres is not null)
        {
            PostgresServer.DropDatabase(_postgres);
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp file is harmless.
        }
    }
}
