using Microsoft.Data.Sqlite;

namespace Dev.Identity.Storage;

/// <summary>
/// A named, shared-cache in-memory SQLite database. It lives as long as one connection stays open,
/// so this object holds one for the lifetime of the host; every DbContext opens its own.
/// </summary>
public sealed class InMemoryDatabase : IDisposable
{
    private readonly SqliteConnection _keepAlive;

    public InMemoryDatabase()
    {
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = $"dev-identity-{Guid.NewGuid():N}",
            Mode = SqliteOpenMode.Memory,
            Cache = SqliteCacheMode.Shared,
        }.ToString();
        _keepAlive = new SqliteConnection(ConnectionString);
        _keepAlive.Open();
    }

    public string ConnectionString { get; }

    public void Dispose() => _keepAlive.Dispose();
}
