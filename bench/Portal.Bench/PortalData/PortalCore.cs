using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.Core.Hosting;
using Portal.Core.Persistence;

namespace Portal.Bench.PortalData;

/// <summary>
/// Portal.Core as the portal registers it (<c>AddPortalCoreServices</c>), inside this tool: on the running portal's
/// store (its SQLite file or its PostgreSQL database) to seed attempts and check results, or on a database of its own
/// to call <c>CheckoutService</c> directly (B5). Hosted services (the receipt queue, PostgreSQL's change listener) are
/// registered but never started here.
/// </summary>
public sealed class PortalCore : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private PortalCore(ServiceProvider services) => _services = services;

    public IServiceProvider Services => _services;

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public AsyncServiceScope Scope() => _services.CreateAsyncScope();

    public PortalDbContext CreateDbContext() => Get<IDbContextFactory<PortalDbContext>>().CreateDbContext();

    /// <param name="store">The store's provider (<c>Store:Provider</c>).</param>
    /// <param name="connectionString">The store (<c>ConnectionStrings:Portal</c>): the portal's own, or a separate one on the same disk.</param>
    /// <param name="gateApi">0Gate's API (the sandbox the portal hosts).</param>
    /// <param name="migrate">Apply the portal's migrations (only for a database the portal does not run on).</param>
    public static async Task<PortalCore> OpenAsync(StoreProvider store, string connectionString, Uri gateApi, string contentRoot, bool migrate, CancellationToken cancellationToken)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Store:Provider"] = store.ToString(),
            ["ConnectionStrings:Portal"] = connectionString,
            ["Gate:ApiBaseUrl"] = gateApi.ToString(),
            ["Gate:HostedBaseUrl"] = gateApi.ToString(),
            ["Gate:SecretKey"] = Hosting.BenchApps.SecretKey,
            ["Gate:PublishableKey"] = Hosting.BenchApps.PublishableKey,
            ["Gate:WebhookSecrets:0"] = Hosting.BenchApps.WebhookSecret,
        }).Build();

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddPortalCoreServices(configuration, contentRoot);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        if (migrate)
        {
            await using var db = await provider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(cancellationToken);
            await db.Database.MigrateAsync(cancellationToken);
            if (store == StoreProvider.Sqlite)
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            }
        }

        return new PortalCore(provider);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Npgsql.NpgsqlConnection.ClearAllPools();
    }
}
