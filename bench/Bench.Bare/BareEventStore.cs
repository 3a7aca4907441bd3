using Microsoft.Data.Sqlite;
using Npgsql;

namespace Bench.Bare;

/// <summary>Where the bare webhook endpoint keeps its one table: one autocommitted <c>INSERT … ON CONFLICT DO NOTHING</c> per delivery.</summary>
public interface IBareEventStore
{
    /// <summary>Creates the table and checks the store's durability settings.</summary>
    void Initialize();

    /// <summary>One autocommitted insert; true when the id was new.</summary>
    Task<bool> InsertAsync(string eventId, long receivedAtUnixMs, CancellationToken cancellationToken);
}

/// <summary>
/// One SQLite table with the portal's settings: a file on the same disk, WAL journal, synchronous FULL, the same
/// busy timeout (15 s), a pooled connection per request. No EF Core: this is the floor the portal is measured against.
/// </summary>
public sealed class BareEventStore : IBareEventStore
{
    public const string ConnectionStringName = "Bare";

    private const string InsertSql = "INSERT INTO events(id, received_at) VALUES ($id, $at) ON CONFLICT(id) DO NOTHING";

    private readonly string _connectionString;

    public BareEventStore(string configured)
    {
        var builder = new SqliteConnectionStringBuilder(configured) { Pooling = true, DefaultTimeout = 15 };
        builder.DataSource = Path.GetFullPath(builder.DataSource);
        Directory.CreateDirectory(Path.GetDirectoryName(builder.DataSource)!);
        _connectionString = builder.ToString();
    }

    /// <summary>Creates the table, switches the file to WAL and checks that connections run with synchronous=FULL.</summary>
    public void Initialize()
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL; CREATE TABLE IF NOT EXISTS events(id TEXT NOT NULL PRIMARY KEY, received_at INTEGER NOT NULL);";
        command.ExecuteNonQuery();
        command.CommandText = "PRAGMA synchronous;";
        var synchronous = Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        if (synchronous != 2)
        {
            // The portal runs with SQLite's default; the comparison only holds if that default is FULL here too.
            throw new InvalidOperationException($"SQLite connections open with synchronous={synchronous}, expected 2 (FULL).");
        }
    }

    public async Task<bool> InsertAsync(string eventId, long receivedAtUnixMs, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = InsertSql;
        command.Parameters.AddWithValue("$id", eventId);
        command.Parameters.AddWithValue("$at", receivedAtUnixMs);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }
}

/// <summary>
/// The same table on PostgreSQL, through Npgsql (the version the portal runs) with its default pooling: a pooled
/// connection per request, one autocommitted insert, so every delivery waits for its own WAL flush exactly as the
/// server's settings say (fsync, synchronous_commit). No EF Core, no transaction block, no prepared-statement tricks.
/// </summary>
public sealed class PostgresBareEventStore(string connectionString) : IBareEventStore, IDisposable
{
    private const string InsertSql = "INSERT INTO events(id, received_at) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING";

    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(connectionString);

    public void Initialize()
    {
        using var connection = _dataSource.OpenConnection();
        using var command = new NpgsqlCommand("CREATE TABLE IF NOT EXISTS events(id text NOT NULL PRIMARY KEY, received_at bigint NOT NULL)", connection);
        command.ExecuteNonQuery();
        command.CommandText = "SELECT current_setting('fsync') || ' ' || current_setting('synchronous_commit')";
        var settings = (string?)command.ExecuteScalar();
        if (settings != "on on")
        {
            // Not a reason to stop (the portal runs on the same server with the same settings), but worth saying.
            Console.Error.WriteLine($"bare: PostgreSQL runs with fsync / synchronous_commit = {settings}, not the durable defaults (on on).");
        }
    }

    public async Task<bool> InsertAsync(string eventId, long receivedAtUnixMs, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(InsertSql);
        command.Parameters.Add(new NpgsqlParameter { Value = eventId });
        command.Parameters.Add(new NpgsqlParameter { Value = receivedAtUnixMs });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public void Dispose() => _dataSource.Dispose();
}

public static class BareEventStoreExtensions
{
    /// <summary><c>Bare:Provider</c> (Sqlite, the default, or PostgreSql) and <c>ConnectionStrings:Bare</c>.</summary>
    public static WebApplicationBuilder AddBareEventStore(this WebApplicationBuilder builder)
    {
        var provider = builder.Configuration["Bare:Provider"] is { Length: > 0 } configured ? configured : "Sqlite";
        var connectionString = builder.Configuration.GetConnectionString(BareEventStore.ConnectionStringName);
        IBareEventStore store = provider.ToUpperInvariant() switch
        {
            "SQLITE" => new BareEventStore(connectionString ?? "Data Source=data/bare.db"),
            "POSTGRESQL" => new PostgresBareEventStore(connectionString
                ?? throw new InvalidOperationException("Bare:Provider=PostgreSql needs ConnectionStrings:Bare (Host=…;Database=…).")),
            _ => throw new InvalidOperationException($"Bare:Provider must be Sqlite or PostgreSql, not '{provider}'."),
        };
        store.Initialize();
        builder.Services.AddSingleton(store);
        return builder;
    }
}
