using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Portal.Bench.Report;

namespace Portal.Bench.Hosting;

/// <summary>
/// The PostgreSQL server the PostgreSQL pass runs on, from the standard <c>PG*</c> variables: ./bench.sh's throw-away
/// cluster (<c>pg_virtualenv -t</c>, which exports them) or an existing server the caller points <c>PGHOST</c> at. The
/// bench only creates databases of its own on it (one for the portal, one for the bare endpoint) and drops them at
/// the end.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly List<string> _created = [];

    private PostgresServer(NpgsqlConnectionStringBuilder admin) => Admin = admin;

    private NpgsqlConnectionStringBuilder Admin { get; }

    /// <summary>host:port, for the log and the report.</summary>
    public string Endpoint => $"{Admin.Host}:{Admin.Port}";

    /// <summary>Connects to the server named by <c>PGHOST</c> etc.; a missing variable or a refused connection is a harness error that says what to do.</summary>
    public static async Task<PostgresServer> ConnectAsync(CancellationToken cancellationToken)
    {
        var host = Environment.GetEnvironmentVariable("PGHOST");
        if (string.IsNullOrEmpty(host))
        {
            throw new InvalidOperationException(
                "The PostgreSQL pass needs a server: run ./bench.sh (it starts a throw-away cluster with pg_virtualenv), " +
                "point PGHOST (and PGPORT, PGUSER, PGPASSWORD) at one, or skip it with --providers sqlite.");
        }

        var admin = new NpgsqlConnectionStringBuilder
        {
            Host = host,
            Port = int.TryParse(Environment.GetEnvironmentVariable("PGPORT"), NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : 5432,
            Username = Environment.GetEnvironmentVariable("PGUSER") ?? Environment.UserName,
            Password = Environment.GetEnvironmentVariable("PGPASSWORD"),
            Database = Environment.GetEnvironmentVariable("PGDATABASE") is { Length: > 0 } database ? database : "postgres",
            Pooling = false,
            Timeout = 10,
        };
        if (Environment.GetEnvironmentVariable("PGSSLMODE") is { Length: > 0 } sslMode && Enum.TryParse<SslMode>(sslMode.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var mode))
        {
            admin.SslMode = mode;
        }

        var server = new PostgresServer(admin);
        try
        {
            await using var connection = new NpgsqlConnection(admin.ConnectionString);
            await connection.OpenAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            throw new InvalidOperationException(
                $"PostgreSQL at {server.Endpoint} (user {admin.Username}, database {admin.Database}) could not be reached: {ex.Message}", ex);
        }

        return server;
    }

    /// <summary>A connection to the server's maintenance database as the bench's role (not pooled; the caller disposes it).</summary>
    public async Task<NpgsqlConnection> OpenAdminAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(Admin.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>Creates an empty database for this run and returns its connection string (Npgsql's default pooling).</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken)
    {
        await using (var connection = new NpgsqlConnection(Admin.ConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        _created.Add(name);
        return new NpgsqlConnectionStringBuilder(Admin.ConnectionString) { Database = name, Pooling = true, Timeout = 15 }.ConnectionString;
    }

    /// <summary>
    /// The report's PostgreSQL lines: version, where it runs, the durability settings every commit depends on, and
    /// the latency of a one-row autocommitted INSERT (what the bare endpoint pays per delivery, HTTP aside).
    /// </summary>
    public async Task<IReadOnlyList<string>> FactsAsync(string origin, CancellationToken cancellationToken)
    {
        var probeDatabase = "portal_bench_probe_" + Guid.NewGuid().ToString("n")[..8];
        string[] names = ["server_version", "fsync", "synchronous_commit", "wal_sync_method", "full_page_writes", "wal_level", "ssl", "max_connections", "shared_buffers", "data_directory"];
        var settings = new Dictionary<string, string>();
        await using (var connection = new NpgsqlConnection(Admin.ConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            // pg_settings leaves out what this role may not see (data_directory without superuser): shown as "n/a".
            await using var command = new NpgsqlCommand("SELECT name, setting, unit FROM pg_settings WHERE name = ANY($1)", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = names });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var unit = reader.IsDBNull(2) ? "" : reader.GetString(2);
                settings[reader.GetString(0)] = reader.GetString(0) == "shared_buffers" && unit == "8kB"
                    ? Fmt.MiB(long.Parse(reader.GetString(1), CultureInfo.InvariantCulture) * 8192)
                    : reader.GetString(1);
            }
        }

        string Setting(string name) => settings.GetValueOrDefault(name, "n/a");
        var commit = await CommitLatencyAsync(await CreateDatabaseAsync(probeDatabase, cancellationToken), cancellationToken);
        await DropAsync(probeDatabase, cancellationToken);
        var durable = Setting("fsync") == "on" && Setting("synchronous_commit") == "on";
        return
        [
            $"postgres:  {Setting("server_version")} at {Endpoint}, {origin}; data directory {Setting("data_directory")}",
            $"pg durab.: fsync={Setting("fsync")} synchronous_commit={Setting("synchronous_commit")} wal_sync_method={Setting("wal_sync_method")} " +
                $"full_page_writes={Setting("full_page_writes")} wal_level={Setting("wal_level")}" +
                (durable ? " (durable defaults: every commit waits for its WAL flush)" : " (NOT the durable defaults: commits may not wait for the disk)"),
            $"pg other:  ssl={Setting("ssl")} max_connections={Setting("max_connections")} shared_buffers={Setting("shared_buffers")}; " +
                "portal and bare endpoint each in a fresh database of their own, Npgsql's default pool (max 100 connections each)",
            $"pg commit: {commit} (one-row autocommitted INSERT over one connection, 200 times)",
        ];
    }

    private static async Task<string> CommitLatencyAsync(string connectionString, CancellationToken cancellationToken)
    {
        var samples = new List<double>();
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using (var create = new NpgsqlCommand("CREATE TABLE probe(id int PRIMARY KEY)", connection))
            {
                await create.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var insert = new NpgsqlCommand("INSERT INTO probe(id) VALUES ($1)", connection);
            var id = new NpgsqlParameter<int>();
            insert.Parameters.Add(id);
            for (var i = 0; i < 200; i++)
            {
                id.TypedValue = i;
                var start = Stopwatch.GetTimestamp();
                await insert.ExecuteNonQueryAsync(cancellationToken);
                samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }

        NpgsqlConnection.ClearAllPools();
        samples.Sort();
        return $"median {Fmt.Ms(samples[samples.Count / 2])}, p99 {Fmt.Ms(samples[(int)(samples.Count * 0.99)])}";
    }

    private async Task DropAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(Admin.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync(cancellationToken);
        _created.Remove(name);
    }

    /// <summary>Drops the databases this run created (the throw-away cluster goes anyway; an existing server keeps nothing of ours).</summary>
    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        foreach (var name in _created.ToList())
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await DropAsync(name, timeout.Token);
            }
            catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or System.Net.Sockets.SocketException)
            {
                Console.Error.WriteLine($"bench: could not drop the database {name} on {Endpoint}: {ex.Message}");
            }
        }
    }
}
