using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Portal.Core.Persistence;

/// <summary>What a store exception means, in one place: the only code that knows provider error codes.</summary>
public static class StoreErrors
{
    // SQLITE_CONSTRAINT_PRIMARYKEY and SQLITE_CONSTRAINT_UNIQUE (extended codes of SQLITE_CONSTRAINT = 19).
    private const int SqlitePrimaryKey = 1555;
    private const int SqliteUnique = 2067;

    /// <summary>
    /// Another writer got there first: it changed the same attempt (the concurrency token did not match) or stored
    /// the same unique row (an event id, a receipt, a start token). Running the work again on fresh state is safe.
    /// </summary>
    public static bool IsWriteConflict(Exception ex) =>
        ex is DbUpdateConcurrencyException || (ex is DbUpdateException update && IsUniqueViolation(update));

    public static bool IsUniqueViolation(DbUpdateException ex) =>
        ex.InnerException is SqliteException { SqliteExtendedErrorCode: SqliteUnique or SqlitePrimaryKey };

    /// <summary>The store could not be reached or could not commit in time: the caller answers "try again later".</summary>
    public static bool IsUnavailable(Exception ex) =>
        !IsWriteConflict(ex) && ex is DbException or DbUpdateException or TimeoutException;
}
