using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Portal.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL cluster of the test's own (initdb in a temp folder, on a free loopback port), so the test may stop,
/// start and restart it (the shared <c>pg_virtualenv</c> cluster serves other tests at the same time). Run as the
/// <c>postgres</c> user when the tests run as root (PostgreSQL refuses root). Trust authentication on loopback only.
/// </summary>
internal sealed class OwnPostgresCluster : IAsyncDisposable
{
    private readonly string _bin;
    private readonly DirectoryInfo _root;
    private readonly bool _asPostgres;

    private OwnPostgresCluster(string bin, DirectoryInfo root, int port, bool asPostgres)
    {
        _bin = bin;
        _root = root;
        Port = port;
        _asPostgres = asPostgres;
    }

    public int Port { get; }

    private string DataDirectory => Path.Combine(_root.FullName, "data");

    private string LogFile => Path.Combine(_root.FullName, "postgres.log");

    /// <summary>The folder of PostgreSQL's server programs (the newest installed), or null.</summary>
    public static string? FindBinaries() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(version => Path.Combine(version, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "pg_ctl")))
                .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;

    /// <summary>Why a cluster cannot be made here, or null.</summary>
    public static string? Missing =>
        FindBinaries() is null ? "PostgreSQL's server programs (initdb, pg_ctl) are not installed: ./test.sh installs Debian's postgresql package." : null;

    /// <summary>initdb and start; the server is accepting connections when this returns.</summary>
    public static async Task<OwnPostgresCluster> StartAsync()
    {
        var bin = FindBinaries() ?? throw new InvalidOperationException(Missing);
        var root = Directory.CreateTempSubdirectory("portal-own-pg-");
        var asPostgres = Environment.UserName == "root";
        var cluster = new OwnPostgresCluster(bin, root, Wait.FreeLoopbackPort(), asPostgres);
        try
        {
            if (asPostgres)
            {
                await RunAsync("chown", ["-R", "postgres:postgres", root.FullName], TimeSpan.FromSeconds(10));
            }

            await cluster.PgAsync("initdb", ["-D", cluster.DataDirectory, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C"], TimeSpan.FromSeconds(90));
            File.AppendAllText(Path.Combine(cluster.DataDirectory, "postgresql.conf"), string.Create(CultureInfo.InvariantCulture, $"""

                port = {cluster.Port}
                listen_addresses = '127.0.0.1'
                unix_socket_directories = '{root.FullName}'
                fsync = off
                max_connections = 200
                shared_buffers = 32MB
                """));
            await cluster.StartServerAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Database = database,
        Timeout = 5,
        MaxPoolSize = 20,
    }.ConnectionString;

    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await create.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary><c>pg_ctl stop -m fast</c>: every session is disconnected, the server shuts down cleanly.</summary>
    public Task StopAsync() => PgAsync("pg_ctl", ["stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "30"], TimeSpan.FromSeconds(40));

    /// <summary><c>pg_ctl start -w</c>: returns once the server accepts connections.</summary>
    public Task StartServerAsync() => PgAsync("pg_ctl", ["start", "-D", DataDirectory, "-l", LogFile, "-w", "-t", "60"], TimeSpan.FromSeconds(70));

    /// <summary>The server's log, for failure messages.</summary>
    public string Log => File.Exists(LogFile) ? File.ReadAllText(LogFile) : "(no log)";

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            try
            {
                await PgAsync("pg_ctl", ["stop", "-D", DataDirectory, "-m", "immediate", "-w", "-t", "30"], TimeSpan.FromSeconds(40));
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
            {
                // Already stopped, or will not stop: the folder goes anyway.
            }
        }

        try
        {
            _root.Delete(recursive: true);
        }
        catch (IOException)
        {
            // The OS temp cleaner gets it.
        }
    }

    private Task PgAsync(string program, string[] arguments, TimeSpan timeout)
    {
        var path = Path.Combine(_bin, program);
        return _asPostgres
            ? RunAsync("runuser", ["-u", "postgres", "--", path, .. arguments], timeout)
            : RunAsync(path, arguments, timeout);
    }

    private static async Task RunAsync(string fileName, string[] arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} still ran after {timeout.TotalSeconds:0} s.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{fileName} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{await output}\n{await error}");
        }
    }
}
