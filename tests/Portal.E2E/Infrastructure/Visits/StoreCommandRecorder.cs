using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Portal.E2E.Infrastructure.Visits;

/// <summary>Records each command a portal context executes during a visit (added to every context as an <see cref="IInterceptor"/> service).</summary>
internal sealed class StoreCommandRecorder(VisitRecorder recorder) : DbCommandInterceptor
{
    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Record(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Record(command);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Record(command);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }

    private void Record(DbCommand command)
    {
        // Data Protection reads its key ring through the portal's context on first use; that is the framework's, not the page's.
        if (!recorder.Recording || command.CommandText.Contains("data_protection_keys", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var parameters = string.Join(", ", command.Parameters.Cast<DbParameter>().Select(p => $"{p.ParameterName}={Describe(p.Value)}"));
        recorder.Add(new StoreCommand(command.CommandText.Trim(), parameters));
    }

    /// <summary>
    /// A parameter's value as text. A time is written as "(a time)": a page's "the last 24 hours" is computed from the
    /// clock, so the same read made twice differs only there, and still counts as the same read.
    /// </summary>
    private static string Describe(object? value) => value switch
    {
        null or DBNull => "null",
        DateTime or DateTimeOffset => "(a time)",
        long binary when IsStoredTime(binary) => "(a time)",
        string text => $"'{text}'",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>
    /// Whether a number is a time as the SQLite store keeps it (EF Core's binary <see cref="DateTimeOffset"/>: ticks / 1000
    /// shifted left by 11 bits, the offset in the rest) within a year of now. Ids, counts and page sizes are far smaller.
    /// </summary>
    private static bool IsStoredTime(long value)
    {
        var ticks = (value >> 11) * 1000;
        var now = DateTimeOffset.UtcNow.UtcTicks;
        return ticks > now - TimeSpan.TicksPerDay * 366 && ticks < now + TimeSpan.TicksPerDay * 366;
    }
}
