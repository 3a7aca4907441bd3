using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace Portal.Bench.Report;

/// <summary>What the numbers depend on: cores, CPU, memory, the data directory's disk and its fsync latency, versions.</summary>
public static class MachineFacts
{
    public static async Task<IReadOnlyList<string>> CollectAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        var facts = new List<string>
        {
            $"date:      {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC",
            $"cores:     {Environment.ProcessorCount} (nproc: {(await RunAsync("nproc", [], cancellationToken)).Trim()})",
            $"cpu:       {CpuModel()}",
            $"memory:    {MemoryTotal()}",
            $"os:        {OsName()} ({RuntimeInformation.OSArchitecture}), kernel {Environment.OSVersion.Version}",
            $".NET:      {RuntimeInformation.FrameworkDescription}; apps: Release publish, Server GC (Web SDK default), environment Development",
            $"load avg:  {LoadAverage()} (at start; anything else running skews every number)",
            $"data dir:  {dataDirectory}",
        };

        var df = (await RunAsync("df", ["-hT", dataDirectory], cancellationToken)).Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
        facts.Add($"disk (df): {string.Join(' ', df.Split(' ', StringSplitOptions.RemoveEmptyEntries))}");
        var mount = (await RunAsync("findmnt", ["-n", "-T", dataDirectory, "-o", "TARGET,SOURCE,FSTYPE,OPTIONS"], cancellationToken)).Trim();
        facts.Add($"mount:     {string.Join(' ', mount.Split(' ', StringSplitOptions.RemoveEmptyEntries))}");
        facts.Add($"fsync:     {FsyncLatency(dataDirectory)} (4 KiB write + fsync in the data dir; every SQLite commit pays at least one)");
        facts.Add($"sqlite:    {SqliteFacts(dataDirectory)}");
        return facts;
    }

    private static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line?[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim() ?? "unknown";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string MemoryTotal()
    {
        try
        {
            var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            var kib = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            return (kib / 1024.0 / 1024).ToString("0.0", CultureInfo.InvariantCulture) + " GiB";
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or FormatException)
        {
            return "unknown";
        }
    }

    private static string OsName()
    {
        try
        {
            var line = File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal));
            return line?["PRETTY_NAME=".Length..].Trim('"') ?? RuntimeInformation.OSDescription;
        }
        catch (IOException)
        {
            return RuntimeInformation.OSDescription;
        }
    }

    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    /// <summary>Median of 200 appends of 4 KiB, each followed by fsync (what a commit in synchronous=FULL waits for).</summary>
    private static string FsyncLatency(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, "fsync-probe.bin");
        var samples = new List<double>();
        var block = new byte[4096];
        using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None))
        {
            for (var i = 0; i < 200; i++)
            {
                var start = Stopwatch.GetTimestamp();
                file.Write(block);
                file.Flush(flushToDisk: true);
                samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }

        File.Delete(path);
        samples.Sort();
        return $"median {Fmt.Ms(samples[samples.Count / 2])}, p99 {Fmt.Ms(samples[(int)(samples.Count * 0.99)])}";
    }

    private static string SqliteFacts(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, "sqlite-probe.db");
        object? version;
        long synchronous;
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL;";
            command.ExecuteNonQuery();
            command.CommandText = "SELECT sqlite_version();";
            version = command.ExecuteScalar();
            command.CommandText = "PRAGMA synchronous;";
            synchronous = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }

        foreach (var file in Directory.GetFiles(dataDirectory, "sqlite-probe.db*"))
        {
            File.Delete(file);
        }

        var mode = synchronous switch { 2 => "FULL", 1 => "NORMAL", 0 => "OFF", _ => "EXTRA" };
        return $"{version}, WAL, connections open with synchronous={synchronous} ({mode}): the portal and the bare endpoint both keep that default";
    }

    private static async Task<string> RunAsync(string command, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        try
        {
            var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            return output;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return $"({command} not available)";
        }
    }
}
