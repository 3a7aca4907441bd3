using System.Globalization;
using System.Text;
using Npgsql;

namespace Portal.Bench.Hosting;

/// <summary>What one database's connections of one application ran in a window, read from the server's statement log.</summary>
/// <param name="Statements">Every statement logged (<c>statement:</c> and <c>execute …:</c> lines), whatever it is.</param>
/// <param name="Savepoints">Of those, <c>SAVEPOINT</c>, <c>RELEASE [SAVEPOINT]</c> and <c>ROLLBACK TO [SAVEPOINT]</c>.</param>
/// <param name="Transactions">Distinct virtual transaction ids among those statements: every transaction, explicit or implicit, read-only or not.</param>
/// <param name="ByKind">Statements by their first keyword (SELECT, INSERT, BEGIN …), most frequent first.</param>
public sealed record StatementCount(long Statements, long Savepoints, long Transactions, IReadOnlyList<(string Kind, long Count)> ByKind, TimeSpan Window);

/// <summary>
/// Counts the statements PostgreSQL executes for one database and one <c>application_name</c> during a window, from the
/// server's own statement log, so the count holds whatever the client does (EF Core, plain Npgsql, batches): every
/// statement the server runs is a line. For the window only, with <c>ALTER SYSTEM</c> and <c>pg_reload_conf()</c>
/// (existing connections pick it up before their next command; <c>ALTER DATABASE … SET</c> would reach only new
/// ones): <c>log_statement=all</c>, a <c>log_line_prefix</c> carrying the time, database, application and virtual
/// transaction id, <c>lc_messages=C</c> (the line's wording), no parameter values, no size rotation. Reset afterwards.
/// The log is read back over SQL (<c>pg_current_logfile()</c>, <c>pg_read_binary_file</c>), so it needs a superuser
/// and <c>logging_collector=on</c>: ./bench.sh's throw-away cluster is started so; on another server the count is
/// reported as unavailable with the reason.
/// </summary>
public sealed class StatementLog : IAsyncDisposable
{
    private const string Marker = "portal-bench-statement";

    // %n: time (Unix epoch, ms); %d database; %a application_name; %v virtual transaction id.
    private const string Prefix = Marker + "|%n|%d|%a|%v|";

    private static readonly (string Name, string Value)[] Settings =
    [
        ("log_statement", "all"),
        ("log_line_prefix", Prefix),
        ("log_parameter_max_length", "0"),
        ("log_rotation_size", "0"),
        ("lc_messages", "C"),
    ];

    private readonly PostgresServer _server;
    private readonly string _file;
    private readonly long _offset;
    private readonly decimal _startEpoch;
    private bool _reset;

    private StatementLog(PostgresServer server, string file, long offset, decimal startEpoch)
    {
        _server = server;
        _file = file;
        _offset = offset;
        _startEpoch = startEpoch;
    }

    /// <summary>Turns the statement log on and starts the window; null and the reason when this server does not allow it.</summary>
    public static async Task<(StatementLog? Log, string? Unavailable)> StartAsync(PostgresServer server, CancellationToken cancellationToken)
    {
        await using (var connection = await server.OpenAdminAsync(cancellationToken))
        {
            if (await ScalarAsync<string>(connection, "SELECT current_setting('is_superuser')", cancellationToken) != "on")
            {
                return (null, "the bench's PostgreSQL role is not a superuser (ALTER SYSTEM and reading the server log need one)");
            }

            if (await ScalarAsync<string>(connection, "SELECT current_setting('logging_collector')", cancellationToken) != "on")
            {
                return (null, "the server runs without logging_collector=on (./bench.sh's throw-away cluster has it), so its log cannot be read over SQL");
            }

            var already = await ScalarAsync<long>(connection,
                "SELECT count(*) FROM pg_file_settings WHERE sourcefile LIKE '%postgresql.auto.conf' AND name = ANY($1)", cancellationToken,
                new object[] { Settings.Select(s => s.Name).ToArray() });
            if (already > 0)
            {
                return (null, "the server already has ALTER SYSTEM values for the logging settings the count needs; the bench does not overwrite them");
            }
        }

        string file;
        long offset;
        await using (var connection = await server.OpenAdminAsync(cancellationToken))
        {
            foreach (var (name, value) in Settings)
            {
                // ALTER SYSTEM takes no parameters; the values are constants of ours (no quote in them).
                await ExecuteAsync(connection, $"ALTER SYSTEM SET {name} = '{value}'", cancellationToken);
            }

            await ExecuteAsync(connection, "SELECT pg_reload_conf()", cancellationToken);
            file = await ScalarAsync<string?>(connection, "SELECT pg_current_logfile()", cancellationToken)
                ?? throw new InvalidOperationException("pg_current_logfile() is null although logging_collector is on.");
            offset = await ScalarAsync<long>(connection, "SELECT size FROM pg_stat_file($1)", cancellationToken, file);
        }

        var log = new StatementLog(server, file, offset, 0);
        try
        {
            // The postmaster re-reads the configuration and signals every backend in one go: once a new connection sees
            // the values, every existing one has been told and applies them before its next command.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (true)
            {
                await using var probe = await server.OpenAdminAsync(cancellationToken);
                if (await ScalarAsync<string>(probe, "SELECT current_setting('log_statement') || current_setting('log_line_prefix')", cancellationToken) == "all" + Prefix)
                {
                    var start = await ScalarAsync<decimal>(probe, "SELECT extract(epoch FROM clock_timestamp())", cancellationToken);
                    return (new StatementLog(server, file, offset, start), null);
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException("PostgreSQL did not apply log_statement=all within 10 s of pg_reload_conf().");
                }

                await Task.Delay(100, cancellationToken);
            }
        }
        catch
        {
            await log.ResetAsync();
            throw;
        }
    }

    /// <summary>Ends the window now, turns the statement log off and counts what <paramref name="applicationName"/> ran in <paramref name="database"/>.</summary>
    public async Task<StatementCount> StopAsync(string database, string applicationName, CancellationToken cancellationToken)
    {
        decimal end;
        await using (var connection = await _server.OpenAdminAsync(cancellationToken))
        {
            end = await ScalarAsync<decimal>(connection, "SELECT extract(epoch FROM clock_timestamp())", cancellationToken);
        }

        await ResetAsync();

        // The logging collector writes what the backends sent it a moment later: wait, then read to the end and keep
        // the lines stamped inside the window.
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        byte[] bytes;
        await using (var connection = await _server.OpenAdminAsync(cancellationToken))
        {
            var current = await ScalarAsync<string?>(connection, "SELECT pg_current_logfile()", cancellationToken);
            if (current != _file)
            {
                throw new InvalidOperationException($"The server log moved from {_file} to {current} during the count (log rotation); run again.");
            }

            var size = await ScalarAsync<long>(connection, "SELECT size FROM pg_stat_file($1)", cancellationToken, _file);
            bytes = size > _offset
                ? await ScalarAsync<byte[]>(connection, "SELECT pg_read_binary_file($1, $2, $3)", cancellationToken, _file, _offset, size - _offset)
                : [];
        }

        return Count(Encoding.UTF8.GetString(bytes), database, applicationName, _startEpoch, end);
    }

    /// <summary>An application name ending in <c>/</c> is a prefix (the portal's instances: <c>portal/&lt;id&gt;</c>).</summary>
    private static bool IsOf(string application, string name) =>
        name.EndsWith('/') ? application.StartsWith(name, StringComparison.Ordinal) : application == name;

    /// <summary>Counts the statement lines of <paramref name="database"/> and <paramref name="applicationName"/> stamped within [start, end] (Unix seconds).</summary>
    internal static StatementCount Count(string log, string database, string applicationName, decimal start, decimal end)
    {
        long statements = 0, savepoints = 0;
        var transactions = new HashSet<string>(StringComparer.Ordinal);
        var kinds = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in log.Split('\n'))
        {
            if (!line.StartsWith(Marker + "|", StringComparison.Ordinal))
            {
                continue; // a continuation of a multi-line statement, or another line of the server's
            }

            var fields = line.Split('|', 6);
            if (fields.Length < 6 || fields[2] != database || !IsOf(fields[3], applicationName)
                || !decimal.TryParse(fields[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var stamp) || stamp < start || stamp > end)
            {
                continue;
            }

            var text = StatementText(fields[5]);
            if (text is null)
            {
                continue; // DETAIL, ERROR … lines of a statement already counted
            }

            statements++;
            transactions.Add(fields[4]);
            var upper = text.TrimStart().ToUpperInvariant();
            if (upper.StartsWith("SAVEPOINT", StringComparison.Ordinal) || upper.StartsWith("RELEASE", StringComparison.Ordinal)
                || upper.StartsWith("ROLLBACK TO", StringComparison.Ordinal))
            {
                savepoints++;
            }

            var kind = upper.Split([' ', '\t', '\r', '(', ';'], 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "?";
            kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
        }

        return new StatementCount(statements, savepoints, transactions.Count,
            [.. kinds.OrderByDescending(k => k.Value).ThenBy(k => k.Key, StringComparer.Ordinal).Select(k => (k.Key, k.Value))],
            TimeSpan.FromSeconds((double)(end - start)));
    }

    /// <summary>The statement of a <c>LOG:  statement: …</c> or <c>LOG:  execute &lt;name&gt;: …</c> message; null for any other message.</summary>
    private static string? StatementText(string message)
    {
        const string simple = "LOG:  statement: ";
        const string extended = "LOG:  execute ";
        if (message.StartsWith(simple, StringComparison.Ordinal))
        {
            return message[simple.Length..];
        }

        if (message.StartsWith(extended, StringComparison.Ordinal))
        {
            var colon = message.IndexOf(": ", extended.Length, StringComparison.Ordinal);
            return colon < 0 ? null : message[(colon + 2)..];
        }

        return null;
    }

    private async Task ResetAsync()
    {
        if (_reset)
        {
            return;
        }

        _reset = true;
        try
        {
            await using var connection = await _server.OpenAdminAsync(CancellationToken.None);
            foreach (var (name, _) in Settings)
            {
                await ExecuteAsync(connection, $"ALTER SYSTEM RESET {name}", CancellationToken.None);
            }

            await ExecuteAsync(connection, "SELECT pg_reload_conf()", CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException)
        {
            Console.Error.WriteLine($"bench: could not turn the statement log off on {_server.Endpoint} (ALTER SYSTEM RESET log_statement …): {ex.Message}");
        }
    }

    public async ValueTask DisposeAsync() => await ResetAsync();

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull ? default! : (T)value;
    }
}
