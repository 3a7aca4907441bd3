using Microsoft.Data.Sqlite;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Hosting;

/// <summary>
/// A start-up killed at any point never keeps the next one from starting. EF Core's SQLite migration lock is a row
/// that a killed migrator leaves behind; the portal migrates under an operating-system file lock instead, which the
/// kernel releases with the process, and clears any lock row it then finds.
/// </summary>
public sealed class StartupCrashTests : IDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("portal-startup-");

    [Fact]
    public async Task A_lock_row_left_by_a_killed_first_start_does_not_block_the_next_start()
    {
        // What a first start killed while migrating leaves: EF's lock table with the lock held, nothing migrated.
        await using (var db = new SqliteConnection($"Data Source={Path.Combine(_data.FullName, "portal.db")};Pooling=False"))
        {
            await db.OpenAsync();
            await using var command = db.CreateCommand();
            command.CommandText = """
                CREATE TABLE "__EFMigrationsLock" ("Id" INTEGER NOT NULL CONSTRAINT "PK___EFMigrationsLock" PRIMARY KEY, "Timestamp" TEXT NOT NULL);
                INSERT INTO "__EFMigrationsLock" ("Id", "Timestamp") VALUES (1, '2026-11-25 20:00:00.000+00:00');
                """;
            await command.ExecuteNonQueryAsync();
        }

        await using var portal = await PortalProcess.StartReadyAsync(PortalProcess.ProductionSettings(_data.FullName, Wait.FreeLoopbackPort()), _data.FullName, StartLimit);

        portal.Output.ShouldContain("Removed a migration lock left behind");
    }

    [Fact]
    public async Task Killing_the_first_start_as_soon_as_it_touches_the_database_then_starting_again_gives_a_ready_portal()
    {
        var settings = PortalProcess.ProductionSettings(_data.FullName, Wait.FreeLoopbackPort());
        var database = Path.Combine(_data.FullName, "portal.db");
        await using (var first = PortalProcess.Start(settings, _data.FullName))
        {
            // The moment the database file appears the first start is in the middle of creating it: kill it there.
            var watch = System.Diagnostics.Stopwatch.StartNew();
            while (!File.Exists(database) && !first.HasExited && watch.Elapsed < StartLimit)
            {
                await Task.Delay(1);
            }

            File.Exists(database).ShouldBeTrue(first.Output);
            first.Kill();
        }

        await using var second = await PortalProcess.StartReadyAsync(settings, _data.FullName, StartLimit);

        await using var check = new SqliteConnection($"Data Source={database};Pooling=False");
        await check.OpenAsync();
        await using var integrity = check.CreateCommand();
        integrity.CommandText = "PRAGMA integrity_check;";
        (await integrity.ExecuteScalarAsync()).ShouldBe("ok");
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _data.Delete(recursive: true);
    }
}
