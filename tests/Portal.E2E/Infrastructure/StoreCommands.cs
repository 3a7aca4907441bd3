using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Portal.E2E.Infrastructure;

/// <summary>
/// The store commands the portal under test sends that carry a given value as a parameter (an attempt id, say):
/// registered in the portal's services as an EF Core <see cref="IInterceptor"/>, so every context it creates reports
/// here. Recording is off until a test starts it; it costs nothing otherwise.
/// </summary>
public sealed class StoreCommands : DbCommandInterceptor
{
    private readonly ConcurrentQueue<string> _commands = new();
    private volatile string? _parameter;

    /// <summary>Records, from now on, every command with a parameter equal to <paramref name="value"/>.</summary>
    public void StartRecording(string value)
    {
        _commands.Clear();
        _parameter = value;
    }

    /// <summary>Stops recording; the command texts recorded, in the order they ran.</summary>
    public IReadOnlyList<string> StopRecording()
    {
        _parameter = null;
        return [.. _commands];
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }

    private void Record(DbCommand command)
    {
        if (_parameter is { } value && command.Parameters.Cast<DbParameter>().Any(p => Equals(p.Value, value)))
        {
            _commands.Enqueue(command.CommandText.Trim());
        }
    }
}
