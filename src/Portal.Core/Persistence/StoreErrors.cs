using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
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
    /// <remarks>
    /// Includes EF Core's <see cref="RetryLimitExceededException"/> (the execution strategy retried a transient failure
    /// and gave up) and an operation on a connection that broke underneath it: a server restart is "try again later",
    /// never a 500.
    /// </remarks>
    public static bool IsUnavailable(Exception ex) =>
        !IsWriteConflict(ex) && (ex is DbException or DbUpdateException or TimeoutException or RetryLimitExceededException
            || (ex is InvalidOperationException && ex.InnerException is DbException or TimeoutException or System.IO.IOException));

    /// <summary>
    /// The connection itself failed (I/O, a lock held outside the portal, the server went away), as opposed to one
    /// statement: nothing more can run on it, so the whole transaction fails and a new connection is opened.
    /// </summary>
    public static bool IsConnectionBroken(Exception ex)
    {
        var inner = ex is DbUpdateException { InnerException: { } cause } ? cause : ex;
        return inner switch
        {
            StoreConnectionLostException => true,
            // BUSY/LOCKED: the write lock is held outside the portal; IOERR, CORRUPT, FULL, CANTOPEN, NOTADB: the file.
            SqliteException sqlite => sqlite.SqliteErrorCode is 5 or 6 or 10 or 11 or 13 or 14 or 26,
            PostgresException postgres => postgres.SqlState.StartsWith("08", StringComparison.Ordinal) || postgres.SqlState.StartsWith("57P", StringComparison.Ordinal),
            NpgsqlException => true, // not a server error: the connection (socket, protocol) failed
            _ => false,
        };
    }
}
