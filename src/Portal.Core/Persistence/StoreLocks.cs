using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Portal.Core.Persistence;

/// <summary>How long a write may wait for the store's write lock, per provider.</summary>
internal static class StoreLocks
{
    /// <summary>
    /// Bounds the wait for the write lock on this context: SQLite's busy timeout is the connection's and each command's
    /// timeout, so both are lowered (from the connection string's default) for this unit of work.
    /// </summary>
    public static void LimitWait(PortalDbContext db, TimeSpan wait)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        db.Database.SetCommandTimeout(seconds);
        if (db.Database.GetDbConnection() is SqliteConnection sqlite)
        {
            sqlite.DefaultTimeout = seconds; // used by BEGIN IMMEDIATE itself
        }
    }
}
