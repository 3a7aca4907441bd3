using Microsoft.Data.Sqlite;

namespace Bench.Bare;

/// <summary>
/// One SQLite table with the portal's settings: a file on the same disk, WAL journal, synchronous FULL, the same
/// busy timeout (15 s), a pooled connection per request. No EF Core: this is the floor the portal is measured against.
/// </summary>
public sealed class BareEventStore
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

    /// <summary>One autocommitted insert; true when the id was new.</summary>
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

public static class BareEventStoreExtensions
{
    public static WebApplicationBuilder AddBareEventStore(this WebApplicationBuilder builder)
    {
        var store = new BareEventStore(builder.Configuration.GetConnectionString(BareEventStore.ConnectionStringName) ?? "Data Source=data/bare.db");
        store.Initialize();
        builder.Services.AddSingleton(store);
        return builder;
    }
}
