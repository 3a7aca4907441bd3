using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Portal.Core.Persistence;

/// <summary>What a store exception means, in one place: the only code that knows provider error codes.</summary>
public static class StoreErrors
{
    // SQLITE_CONSTRAINT_PRIMARYKEY and SQLITE_CONSTRAINT_UNIQUE (extended codes of SQLITE_CONSTRAINT = 19).
    private const int SqlitePrimaryKey = 1555;
    private const int SqliteUnique = 2067;

    // PostgreSQL SQLSTATEs: unique_violation; serialization_failure and deadlock_detected (the statement lost to a
    // concurrent transaction and may simply run again).
    private const string PostgresUnique = "23505";
    private const string PostgresSerialization = "40001";
    private const string PostgresDeadlock = "40P01";

    /// <summary>
    /// Another writer got there first: it changed the same attempt (the concurrency token did not match) or stored
    /// the same unique row (an event id, a receipt, a start token). Running the work again on fresh state is safe.
    /// </summary>
    public static bool IsWriteConflict(Exception ex) =>
        ex is DbUpdateConcurrencyException
        || (ex is DbUpdateException update && IsUniqueViolation(update))
        || (ex as PostgresException ?? ex.InnerException as PostgresException) is { SqlState: PostgresSerialization or PostgresDeadlock };

    public static bool IsUniqueViolation(DbUpdateException ex) => ex.InnerException switch
    {
        SqliteException sqlite => sqlite.SqliteExtendedErrorCode is SqliteUnique or SqlitePrimaryKey,
        PostgresException postgres => postgres.SqlState == PostgresUnique,
        _ => false,
    };

    /// <summary>The store could not be reached or could not commit in time: the caller answers "try again later".</summary>
    public static bool IsUnavailable(Exception ex) =>
        !IsWriteConflict(ex) && ex is DbException or DbUpdateException or TimeoutException;
}
