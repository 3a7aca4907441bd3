using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Portal.Core.Persistence;

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
