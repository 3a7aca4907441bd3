using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Portal.Bench.Hosting;

/// <summary>
/// A published app (<c>dotnet App.dll</c>) running as its own process on a loopback port, its output in a log file.
/// Its id goes into <c>pids</c> in the bench's data directory, so ./bench.sh can end it even if this tool dies first.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly StreamWriter _log;

    private readonly string _logDirectory;

    private AppProcess(string name, Process process, StreamWriter log, Uri baseAddress, string logDirectory)
    {
        Name = name;
        _logDirectory = logDirectory;
        _process = process;
        _log = log;
        BaseAddress = baseAddress;
    }

    public string Name { get; }

    public Uri BaseAddress { get; }

    public int ProcessId => _process.Id;

    public static async Task<AppProcess> StartAsync(
        string name, string appDirectory, string assembly, Uri baseAddress, string readyPath,
        IReadOnlyDictionary<string, string> environment, string logDirectory, string pidsFile, CancellationToken cancellationToken)
    {
        var dll = Path.Combine(appDirectory, assembly);
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{name}: {dll} does not exist (was it published?).");
        }

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = appDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var log = new StreamWriter(Path.Combine(logDirectory, $"{name}.log")) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{name}: the process did not start.");
        await File.AppendAllTextAsync(pidsFile, process.Id.ToString(CultureInfo.InvariantCulture) + "\n", cancellationToken);
        process.OutputDataReceived += (_, e) => WriteLine(log, e.Data);
        process.ErrorDataReceived += (_, e) => WriteLine(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var app = new AppProcess(name, process, log, baseAddress, logDirectory);
        try
        {
            await app.WaitUntilReadyAsync(readyPath, cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return app;
    }

    /// <summary>Polls <paramref name="readyPath"/> until it answers 200; fails at once if the process exits.</summary>
    private async Task WaitUntilReadyAsync(string readyPath, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.GetTimestamp() + (long)(ReadyTimeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} before it was ready; see {Path.Combine(_logDirectory, Name + ".log")} (BENCH_KEEP_DATA=1 keeps it).");
            }

            try
            {
                using var response = await client.GetAsync(readyPath, cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // a slow start-up answer; ask again
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }

        throw new TimeoutException($"{Name} did not answer 200 on {readyPath} within {ReadyTimeout.TotalSeconds:0} s; see {Path.Combine(_logDirectory, Name + ".log")} (BENCH_KEEP_DATA=1 keeps it).");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                await _process.WaitForExitAsync(timeout.Token);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            Console.Error.WriteLine($"bench: could not stop {Name} (pid {_process.Id}): {ex.Message}");
        }
        finally
        {
            _process.Dispose();
            lock (_log)
            {
                _log.Dispose();
            }
        }
    }

    private static void WriteLine(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            if (log.BaseStream is { CanWrite: true })
            {
                log.WriteLine(line);
            }
        }
    }
}
