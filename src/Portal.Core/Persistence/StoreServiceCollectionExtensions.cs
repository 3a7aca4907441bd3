using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Portal.Core.Persistence;

public static class StoreServiceCollectionExtensions
{
    public const string ConnectionStringName = "Portal";

    /// <summary>Seconds a command waits for SQLite's write lock before failing (the busy timeout).</summary>
    private const int DefaultBusyTimeoutSeconds = 15;

    /// <summary>
    /// The SQLite store: one <see cref="PortalDbContext"/> per operation from the factory, migrations
    /// applied at start-up, and a readiness check (database reachable, no pending migrations).
    /// </summary>
    public static IServiceCollection AddPortalStore(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        var connectionString = BuildConnectionString(configuration.GetConnectionString(ConnectionStringName), contentRoot);
        services.AddDbContextFactory<PortalDbContext>(options => options.UseSqlite(connectionString));
        services.AddHostedService<DatabaseMigrator>();
        services.AddHealthChecks().AddCheck<DatabaseReadyCheck>("database", tags: ["ready"]);
        return services;
    }

    /// <summary>
    /// Resolves a relative data source against the content root, creates its folder, and sets a busy
    /// timeout (Microsoft.Data.Sqlite retries a locked database until <c>Default Timeout</c>) unless
    /// the connection string sets one.
    /// </summary>
    internal static string BuildConnectionString(string? configured, string contentRoot)
    {
        if (string.IsNullOrWhiteSpace(configured))
        {
            throw new InvalidConfigurationException(
                $"ConnectionStrings:{ConnectionStringName}",
                $"ConnectionStrings:{ConnectionStringName} is required (a SQLite connection string such as 'Data Source=data/portal.db').");
        }

        SqliteConnectionStringBuilder builder;
        try
        {
            builder = new SqliteConnectionStringBuilder(configured);
        }
        catch (ArgumentException e)
        {
            // The parser names the keyword or position at fault, never the value (which may hold a password).
            throw new InvalidConfigurationException(
                $"ConnectionStrings:{ConnectionStringName}",
                $"ConnectionStrings:{ConnectionStringName} is not a valid SQLite connection string: {e.Message}",
                e);
        }

        var inMemory = builder.Mode == SqliteOpenMode.Memory || builder.DataSource is "" or ":memory:";
        if (!inMemory)
        {
            builder.DataSource = Path.GetFullPath(builder.DataSource, contentRoot);
            Directory.CreateDirectory(Path.GetDirectoryName(builder.DataSource)!);
        }

        if (!configured.Contains("Default Timeout", StringComparison.OrdinalIgnoreCase)
            && !configured.Contains("DefaultTimeout", StringComparison.OrdinalIgnoreCase)
            && !configured.Contains("Command Timeout", StringComparison.OrdinalIgnoreCase))
        {
            builder.DefaultTimeout = DefaultBusyTimeoutSeconds;
        }

        return builder.ToString();
    }
}

/// <summary>
/// Applies migrations before the portal serves requests, then switches the file to WAL. A start-up killed at any
/// point must not keep the next one from starting: EF Core's SQLite migration lock is a row in
/// <c>__EFMigrationsLock</c> that a killed process leaves behind, so migrating happens while holding an operating-system
/// lock on a file beside the database (released by the kernel when the process dies, however it dies). Whoever holds
/// that lock is the only migrator, so a lock row found then is stale and is removed.
/// </summary>
internal sealed class DatabaseMigrator(IDbContextFactory<PortalDbContext> factory, ILogger<DatabaseMigrator> logger) : IHostedService
{
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(60);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var dataSource = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
        await using var migratorLock = await MigratorLock.AcquireAsync(dataSource, LockWait, cancellationToken);
        if (await ClearStaleLockAsync(db, cancellationToken))
        {
            logger.LogWarning("Removed a migration lock left behind by a start-up that was killed");
        }

        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        await db.Database.MigrateAsync(cancellationToken);
        // WAL lets status reads proceed while a webhook writes; the mode is stored in the file.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        logger.LogInformation("Database ready; applied {Count} migration(s)", pending.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static async Task<bool> ClearStaleLockAsync(PortalDbContext db, CancellationToken cancellationToken)
    {
        var exists = await db.Database.SqlQueryRaw<int>(
            "SELECT COUNT(*) AS \"Value\" FROM sqlite_master WHERE type = 'table' AND name = '__EFMigrationsLock'").SingleAsync(cancellationToken);
        return exists > 0 && await db.Database.ExecuteSqlRawAsync("DELETE FROM \"__EFMigrationsLock\";", cancellationToken) > 0;
    }

    /// <summary>An exclusive lock on <c>&lt;database&gt;.migrate-lock</c> (flock on Linux), or nothing for an in-memory database.</summary>
    private sealed class MigratorLock(FileStream? file) : IAsyncDisposable
    {
        public static async Task<MigratorLock> AcquireAsync(string dataSource, TimeSpan wait, CancellationToken cancellationToken)
        {
            if (dataSource is "" or ":memory:")
            {
                return new MigratorLock(null);
            }

            var path = dataSource + ".migrate-lock";
            var deadline = DateTime.UtcNow + wait;
            while (true)
            {
                try
                {
                    return new MigratorLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
                }
                catch (IOException) when (DateTime.UtcNow < deadline)
                {
                    // Another process is migrating this file right now: wait for it.
                    await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
                }
            }
        }

        public ValueTask DisposeAsync() => file?.DisposeAsync() ?? ValueTask.CompletedTask;
    }
}

internal sealed class DatabaseReadyCheck(IDbContextFactory<PortalDbContext> factory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            if (!await db.Database.CanConnectAsync(cancellationToken))
            {
                return HealthCheckResult.Unhealthy("The database cannot be reached.");
            }

            var pending = await db.Database.GetPendingMigrationsAsync(cancellationToken);
            return pending.Any()
                ? HealthCheckResult.Unhealthy("Database migrations are pending.")
                : HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("The database cannot be reached.");
        }
    }
}

internal sealed class PortalDbContextDesignTimeFactory : Microsoft.EntityFrameworkCore.Design.IDesignTimeDbContextFactory<PortalDbContext>
{
    public PortalDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PortalDbContext>().UseSqlite("Data Source=design-time.db").Options);
}
