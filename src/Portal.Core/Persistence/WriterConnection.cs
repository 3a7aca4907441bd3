using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Portal.Core.Persistence;

/// <summary>How the store writer's connection is set up, per provider.</summary>
internal static class WriterConnection
{
    /// <summary>
    /// How long the writer waits for the database's write lock (something outside the portal holding it: a backup, a
    /// manual session) before the batch fails and its callers learn so. Short, so the queue keeps moving.
    /// </summary>
    public static readonly TimeSpan LockWait = TimeSpan.FromSeconds(4);

    /// <summary>
    /// Opens the batch's connection. SQLite: the busy timeout is the connection's default command timeout, and
    /// <c>synchronous=FULL</c> is set explicitly (a commit is on disk before anyone is told "done": a 200 survives a
    /// power cut), whatever the library's default.
    /// </summary>
    public static async Task OpenAsync(PortalDbContext owner)
    {
        var seconds = (int)LockWait.TotalSeconds;
        owner.Database.SetCommandTimeout(seconds);
        if (owner.Database.GetDbConnection() is SqliteConnection sqlite)
        {
            sqlite.DefaultTimeout = seconds;
            await owner.Database.OpenConnectionAsync();
            await owner.Database.ExecuteSqlRawAsync("PRAGMA synchronous = FULL;");
            return;
        }

        await owner.Database.OpenConnectionAsync();
    }
}
