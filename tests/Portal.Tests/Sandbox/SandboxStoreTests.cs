using Microsoft.Data.Sqlite;

namespace Portal.Tests.Sandbox;

/// <summary>The sandbox's store is disposable: a file left by an older sandbox with another schema is replaced.</summary>
public sealed class SandboxStoreTests
{
    [Fact]
    public async Task A_store_file_with_an_old_schema_is_recreated_at_start()
    {
        var directory = Directory.CreateTempSubdirectory("sandbox-store-");
        var file = Path.Combine(directory.FullName, "sandbox.db");
        try
        {
            await using (var old = new SqliteConnection($"Data Source={file};Pooling=False"))
            {
                await old.OpenAsync();
                await using var command = old.CreateCommand();
                command.CommandText = "CREATE TABLE sessions (id TEXT PRIMARY KEY); PRAGMA user_version = 7;";
                await command.ExecuteNonQueryAsync();
            }

            await using var sandbox = await SandboxTestHost.StartAsync(new Dictionary<string, string?>
            {
                ["Sandbox:ConnectionString"] = $"Data Source={file};Pooling=False",
            });

            var session = await sandbox.CreateSessionAsync();
            session.GetProperty("status").GetString().ShouldBe("open");
        }
        finally
        {
            try
            {
                directory.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A file still held by a slow shutdown; the temp cleaner gets it.
            }
        }
    }

    [Fact]
    public async Task The_server_secret_is_stored_at_start_so_a_receipt_read_writes_nothing()
    {
        var directory = Directory.CreateTempSubdirectory("sandbox-store-");
        var file = Path.Combine(directory.FullName, "sandbox.db");
        try
        {
            await using var sandbox = await SandboxTestHost.StartAsync(new Dictionary<string, string?>
            {
                ["Sandbox:ConnectionString"] = $"Data Source={file};Pooling=False",
            });

            // No request yet: the secret that keys receipt permalinks is already in the store.
            await using var connection = new SqliteConnection($"Data Source={file};Pooling=False;Mode=ReadOnly");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM Settings WHERE Key = 'server_secret'";
            ((long)(await command.ExecuteScalarAsync())!).ShouldBe(1);
        }
        finally
        {
            try
            {
                directory.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A file still held by a slow shutdown; the temp cleaner gets it.
            }
        }
    }
}
