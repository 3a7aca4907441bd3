using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace Portal.Core.Persistence;

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
    /// start-up), a readiness check and the leader lease for the sweeper. Whoever hears of commits (<see cref="ICommitObserver"/>) is registered above the store.
    /// EF Core interceptors registered as <see cref="IInterceptor"/> services are added to every context (tests count
    /// statements with one).
    /// </summary>
    public static IServiceCollection AddPortalStore(this IServiceCollection services, StoreSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        services.AddSingleton(settings);
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
                sp.GetRequiredService<IDbContextFactory<PortalDbContext>>(), sp.GetRequiredService<ICommitObserver>(),
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<StoreWriteHealth>(), sp.GetRequiredService<ILogger<PostgresStoreWriter>>()));
            services.AddSingleton<IStoreStatements, PostgresStatements>();
            services.AddSingleton<ISweepLease>(new PostgresSweepLease(settings.ConnectionString));
        }
        else
        {
            services.AddPooledDbContextFactory<SqlitePortalDbContext>((sp, options) => options
                .UseSqlite(settings.ConnectionString, sqlite => sqlite.MigrationsAssembly(SqliteMigrationsAssembly))
                .AddInterceptors(sp.GetServices<IInterceptor>()));
            services.AddSingleton<IDbContextFactory<PortalDbContext>>(sp => new Upcast<SqlitePortalDbContext>(sp.GetRequiredService<IDbContextFactory<SqlitePortalDbContext>>()));
            services.AddSingleton<IStoreWriter>(sp => new SqliteStoreWriter(
                sp.GetRequiredService<IDbContextFactory<PortalDbContext>>(), sp.GetRequiredService<ICommitObserver>(),
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
    public static StoreSettings ReadSettings(IConfiguration configuration, string contentRoot, bool development, InstanceIdentity? instance = null)
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
