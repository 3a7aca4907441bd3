using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Portal.Core.Checkout;

namespace Portal.Core.Persistence;

/// <summary>Which store the portal uses (section <c>Store</c>).</summary>
public enum StoreProvider
{
    /// <summary>The embedded store: a SQLite file, one instance, nothing to install (the default).</summary>
    Sqlite,

    /// <summary>PostgreSQL: any number of instances sharing one database.</summary>
    PostgreSql,
}

/// <summary>The store as configured: <c>Store:Provider</c> and <c>ConnectionStrings:Portal</c>.</summary>
public sealed record StoreSettings(StoreProvider Provider, string ConnectionString, bool MigrateOnStart);

public static class StoreServiceCollectionExtensions
{
    public const string ConnectionStringName = "Portal";

    /// <summary>
    /// Each provider's migrations live in a project of their own (generated code, apart from the domain); the web app
    /// references both, so they are deployed with it.
    /// </summary>
    public const string SqliteMigrationsAssembly = "Portal.Migrations.Sqlite";

    /// <inheritdoc cref="SqliteMigrationsAssembly"/>
    public const string PostgreSqlMigrationsAssembly = "Portal.Migrations.PostgreSql";

    /// <summary>Seconds a command waits for SQLite's write lock before failing (the busy timeout).</summary>
    private const int DefaultBusyTimeoutSeconds = 15;

    /// <summary>
    /// The store for <c>Store:Provider</c>: one <see cref="PortalDbContext"/> per operation from the factory, migrations
    /// (applied at start-up for SQLite and in Development; a deploy step for PostgreSQL in production, checked at
    /// start-up), a readiness check, cross-instance change notifications and the leader lease for the sweeper.
    /// EF Core interceptors registered as <see cref="IInterceptor"/> services are added to every context (tests count
    /// statements with one).
    /// </summary>
    public static IServiceCollection AddPortalStore(this IServiceCollection services, IConfiguration configuration, string contentRoot, bool development, InstanceIdentity instance)
    {
        var settings = ReadSettings(configuration, contentRoot, development, instance);
        services.AddSingleton(settings);
        services.AddSingleton<CommittedWork>();
        services.AddSingleton<StoreWriteHealth>();
        if (settings.Provider == StoreProvider.PostgreSql)
        {
            // Transient failures (a dropped connection, a server restarting) are retried by EF Core's execution
            // strategy; the writer runs its transactions inside it.
            services.AddPooledDbContextFactory<PostgresPortalDbContext>((sp, options) => options
                .UseNpgsql(settings.ConnectionString, npgsql => npgsql
                    .MigrationsAssembly(PostgreSqlMigrationsAssembly)
                    .EnableRetryOnFailure(maxRetryCount: 3, maxRetryDelay: TimeSpan.FromSeconds(1), errorCodesToAdd: null))
                .AddInterceptors(sp.GetServices<IInterceptor>()));
            services.AddSingleton<IDbContextFactory<PortalDbContext>>(sp => new Upcast<PostgresPortalDbContext>(sp.GetRequiredService<IDbContextFactory<PostgresPortalDbContext>>()));
            services.AddSingleton<IStoreWriter>(sp => new PostgresStoreWriter(
                sp.GetRequiredService<IDbContextFactory<PortalDbContext>>(), sp.GetRequiredService<CommittedWork>(),
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<StoreWriteHealth>(), sp.GetRequiredService<ILogger<PostgresStoreWriter>>()));
            services.AddSingleton<IStoreStatements, PostgresStatements>();
            services.AddHostedService<PostgresChangeListener>();
            services.AddSingleton<ISweepLease>(new PostgresSweepLease(settings.ConnectionString));
        }
        else
        {
            services.AddPooledDbContextFactory<SqlitePortalDbContext>((sp, options) => options
                .UseSqlite(settings.ConnectionString, sqlite => sqlite.MigrationsAssembly(SqliteMigrationsAssembly))
                .AddInterceptors(sp.GetServices<IInterceptor>()));
            services.AddSingleton<IDbContextFactory<PortalDbContext>>(sp => new Upcast<SqlitePortalDbContext>(sp.GetRequiredService<IDbContextFactory<SqlitePortalDbContext>>()));
            services.AddSingleton<IStoreWriter>(sp => new SqliteStoreWriter(
                sp.GetRequiredService<IDbContextFactory<PortalDbContext>>(), sp.GetRequiredService<CommittedWork>(),
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<StoreWriteHealth>(), sp.GetRequiredService<ILogger<SqliteStoreWriter>>()));
            services.AddSingleton<IStoreStatements, SqliteStatements>();
        }

        // Data Protection's key store asks the container for the context itself.
        services.AddScoped<PortalDbContext>(sp => sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext());
        services.TryAddSingleton<MigrationState>();
        services.AddSingleton<StoreMigrations>();
        services.AddHostedService<DatabaseMigrator>();
        services.AddHealthChecks().AddCheck<DatabaseReadyCheck>("database", tags: ["ready"]);
        return services;
    }

    /// <summary>
    /// <c>Store:Provider</c> (Sqlite or PostgreSql) and <c>ConnectionStrings:Portal</c>, checked now: a wrong value
    /// stops the start with a message naming the key.
    /// </summary>
    internal static StoreSettings ReadSettings(IConfiguration configuration, string contentRoot, bool development, InstanceIdentity? instance = null)
    {
        var providerText = configuration["Store:Provider"];
        StoreProvider provider;
        if (string.IsNullOrWhiteSpace(providerText))
        {
            provider = StoreProvider.Sqlite;
        }
        else if (!Enum.TryParse(providerText, ignoreCase: true, out provider) || !Enum.IsDefined(provider))
        {
            throw new InvalidConfigurationException("Store:Provider", "Store:Provider must be Sqlite or PostgreSql.");
        }

        var configured = configuration.GetConnectionString(ConnectionStringName);
        var connectionString = provider == StoreProvider.PostgreSql ? PostgresConnectionString(configured, instance) : SqliteConnectionString(configured, contentRoot);
        var migrateOnStart = configuration.GetValue<bool?>("Store:MigrateOnStart") ?? (provider == StoreProvider.Sqlite || development);
        return new StoreSettings(provider, connectionString, migrateOnStart);
    }

    /// <summary>
    /// Resolves a relative data source against the content root, creates its folder, and sets a busy
    /// timeout (Microsoft.Data.Sqlite retries a locked database until <c>Default Timeout</c>) unless
    /// the connection string sets one.
    /// </summary>
    internal static string SqliteConnectionString(string? configured, string contentRoot)
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
        catch (ArgumentException ex)
        {
            // The parser names the keyword or position at fault, never the value (which may hold a password).
            throw new InvalidConfigurationException(
                $"ConnectionStrings:{ConnectionStringName}",
                $"ConnectionStrings:{ConnectionStringName} is not a valid SQLite connection string: {ex.Message}",
                ex);
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

    /// <summary>
    /// The configured connection string, checked; with this instance's name as the connection's
    /// <c>application_name</c> (<see cref="InstanceIdentity.ApplicationName"/>) unless one is configured: operators
    /// see which instance holds a connection, and the change-notification trigger tells this instance's own changes
    /// apart.
    /// </summary>
    internal static string PostgresConnectionString(string? configured, InstanceIdentity? instance = null)
    {
        if (string.IsNullOrWhiteSpace(configured))
        {
            throw new InvalidConfigurationException(
                $"ConnectionStrings:{ConnectionStringName}",
                $"ConnectionStrings:{ConnectionStringName} is required with Store:Provider=PostgreSql (e.g. 'Host=db;Database=portal;Username=portal;Password=…').");
        }

        try
        {
            var builder = new NpgsqlConnectionStringBuilder(configured);
            if (string.IsNullOrWhiteSpace(builder.Host))
            {
                throw new InvalidConfigurationException($"ConnectionStrings:{ConnectionStringName}", $"ConnectionStrings:{ConnectionStringName} must name a Host for PostgreSQL.");
            }

            if (instance is not null && string.IsNullOrEmpty(builder.ApplicationName))
            {
                builder.ApplicationName = instance.ApplicationName;
            }

            // The portal keeps no session state on a connection (no temporary tables, no SET outside a transaction),
            // so a pooled connection needs no DISCARD ALL each time it is handed out again: one statement and one
            // implicit transaction less per use.
            if (!configured.Contains("No Reset On Close", StringComparison.OrdinalIgnoreCase)
                && !configured.Contains("NoResetOnClose", StringComparison.OrdinalIgnoreCase))
            {
                builder.NoResetOnClose = true;
            }

            return builder.ConnectionString;
        }
        catch (ArgumentException ex)
        {
            throw new InvalidConfigurationException(
                $"ConnectionStrings:{ConnectionStringName}",
                $"ConnectionStrings:{ConnectionStringName} is not a valid PostgreSQL connection string: {ex.Message}",
                ex);
        }
    }

    /// <summary>Hands out the provider's context as the <see cref="PortalDbContext"/> every service asks for.</summary>
    private sealed class Upcast<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<PortalDbContext>
        where TContext : PortalDbContext
    {
        public PortalDbContext CreateDbContext() => inner.CreateDbContext();

        public async Task<PortalDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
            await inner.CreateDbContextAsync(cancellationToken);
    }
}

/// <summary>Whether this instance may serve: false while the database lacks migrations it needs (PostgreSQL in production).</summary>
public sealed class MigrationState
{
    private volatile IReadOnlyList<string> _pending = [];

    public IReadOnlyList<string> Pending => _pending;

    public bool IsCurrent => _pending.Count == 0;

    internal void Set(IEnumerable<string> pending) => _pending = [.. pending];
}

/// <summary>
/// Applies migrations: at start-up for SQLite (under a file lock, see <see cref="DatabaseMigrator"/>) and in
/// Development, and as the deploy step <c>portal migrate</c> for PostgreSQL (EF Core takes PostgreSQL's advisory lock,
/// so two deploy steps never race).
/// </summary>
public sealed class StoreMigrations(IDbContextFactory<PortalDbContext> factory, StoreSettings settings, MigrationState state, ILogger<StoreMigrations> logger)
{
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(60);

    /// <summary>Applies every pending migration; returns how many.</summary>
    public async Task<int> ApplyAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await using var migratorLock = settings.Provider == StoreProvider.Sqlite
            ? await SqliteMigratorLock.AcquireAsync(new SqliteConnectionStringBuilder(settings.ConnectionString).DataSource, LockWait, cancellationToken)
            : null;
        if (migratorLock is not null && await SqliteMigratorLock.ClearStaleLockAsync(db, cancellationToken))
        {
            logger.LogWarning("Removed a migration lock left behind by a start-up that was killed");
        }

        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        await db.Database.MigrateAsync(cancellationToken);
        if (settings.Provider == StoreProvider.Sqlite)
        {
            // WAL lets status reads proceed while a webhook writes; the mode is stored in the file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        state.Set([]);
        logger.LogInformation("Database ready ({Provider}); applied {Count} migration(s)", settings.Provider, pending.Count);
        return pending.Count;
    }

    /// <summary>Reads which migrations the database lacks, and remembers it for <see cref="MigrationState"/>.</summary>
    public async Task<IReadOnlyList<string>> CheckAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        state.Set(pending);
        return pending;
    }
}

/// <summary>
/// At start-up: SQLite (and PostgreSQL in Development) is migrated before the portal serves. PostgreSQL in production
/// is migrated by the deploy step instead; an instance that finds migrations pending logs it, answers 503 to
/// everything but the health endpoints, and checks again every few seconds (no racing instances).
/// </summary>
internal sealed class DatabaseMigrator(StoreMigrations migrations, StoreSettings settings, MigrationState state, ILogger<DatabaseMigrator> logger) : BackgroundService
{
    private static readonly TimeSpan RecheckEvery = TimeSpan.FromSeconds(5);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (settings.MigrateOnStart)
        {
            await migrations.ApplyAsync(cancellationToken);
        }
        else if ((await migrations.CheckAsync(cancellationToken)).Count > 0)
        {
            logger.LogError(
                "The database lacks {Count} migration(s) ({Names}); this instance refuses to serve until they are applied with 'portal migrate'",
                state.Pending.Count, string.Join(", ", state.Pending));
        }

        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!state.IsCurrent)
            {
                await Task.Delay(RecheckEvery, stoppingToken);
                try
                {
                    if ((await migrations.CheckAsync(stoppingToken)).Count == 0)
                    {
                        logger.LogInformation("Database migrations are now applied; serving");
                    }
                }
                catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
                {
                    logger.LogWarning(ex, "Could not check the database's migrations");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping is not a failure.
        }
    }
}

/// <summary>
/// A start-up killed at any point must not keep the next one from starting: EF Core's SQLite migration lock is a row in
/// <c>__EFMigrationsLock</c> that a killed process leaves behind, so migrating happens while holding an operating-system
/// lock on a file beside the database (released by the kernel when the process dies, however it dies). Whoever holds
/// that lock is the only migrator, so a lock row found then is stale and is removed.
/// </summary>
internal sealed class SqliteMigratorLock(FileStream? file) : IAsyncDisposable
{
    public static async Task<SqliteMigratorLock> AcquireAsync(string dataSource, TimeSpan wait, CancellationToken cancellationToken)
    {
        if (dataSource is "" or ":memory:")
        {
            return new SqliteMigratorLock(null);
        }

        var path = dataSource + ".migrate-lock";
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            try
            {
                return new SqliteMigratorLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                // Another process is migrating this file right now: wait for it.
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
            }
        }
    }

    public static async Task<bool> ClearStaleLockAsync(PortalDbContext db, CancellationToken cancellationToken)
    {
        var exists = await db.Database.SqlQueryRaw<int>(
            "SELECT COUNT(*) AS \"Value\" FROM sqlite_master WHERE type = 'table' AND name = '__EFMigrationsLock'").SingleAsync(cancellationToken);
        return exists > 0 && await db.Database.ExecuteSqlRawAsync("DELETE FROM \"__EFMigrationsLock\";", cancellationToken) > 0;
    }

    public ValueTask DisposeAsync() => file?.DisposeAsync() ?? ValueTask.CompletedTask;
}

internal sealed class DatabaseReadyCheck(IDbContextFactory<PortalDbContext> factory, MigrationState state, StoreWriteHealth writes) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // Reads may still work while writes fail (a full disk): deliveries are answered 503, so the store is not ready.
        if (writes.CurrentFailure is { } failure)
        {
            return HealthCheckResult.Unhealthy($"Writes to the store are failing since {failure.Since:u} ({failure.Failures} failed): {failure.Reason}");
        }

        try
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            if (!await db.Database.CanConnectAsync(cancellationToken))
            {
                return HealthCheckResult.Unhealthy("The database cannot be reached.");
            }

            var pending = await db.Database.GetPendingMigrationsAsync(cancellationToken);
            state.Set(pending);
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
