using Microsoft.EntityFrameworkCore;

namespace Portal.Core.Persistence;

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
