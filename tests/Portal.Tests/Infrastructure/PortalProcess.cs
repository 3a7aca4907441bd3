using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;

namespace Portal.Tests.Infrastructure;

/// <summary>
/// The real portal as its own operating-system process (<c>dotnet Portal.dll</c> from src/Portal's build output), for
/// what only a process can show: a start-up killed with SIGKILL, a crash in the middle of a storm, exit codes and
/// what reaches stdout/stderr. Output is captured; the process is killed on dispose if it still runs.
/// </summary>
public sealed class PortalProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private PortalProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>src/Portal/bin/&lt;configuration of this test build&gt;/net10.0/Portal.dll.</summary>
    public static string PortalDll
    {
        get
        {
            var configuration = typeof(PortalProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
            var dll = Path.Combine(RepositoryRoot, "src", "Portal", "bin", configuration, "net10.0", "Portal.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException($"The portal is not built at {dll}; build the solution first.", dll);
        }
    }

    public static string RepositoryRoot
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Portal.sln")))
                {
                    return directory.FullName;
                }
            }

            throw new InvalidOperationException($"No Portal.sln above {AppContext.BaseDirectory}.");
        }
    }

    /// <summary>A loopback port nobody listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Settings for a portal in Production on its own SQLite file in <paramref name="dataDirectory"/>, with test keys,
    /// no stand-ins, an identity provider that is never called, and 0Gate on a closed port.
    /// </summary>
    public static Dictionary<string, string?> ProductionSettings(string dataDirectory, int port) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["Urls"] = $"http://127.0.0.1:{port}",
        ["ConnectionStrings__Portal"] = $"Data Source={Path.Combine(dataDirectory, "portal.db")}",
        ["DataProtection__KeysPath"] = Path.Combine(dataDirectory, "keys"),
        ["Logging__LogLevel__Default"] = "Warning",
        ["Sandbox__Enabled"] = "false",
        ["DevIdentity__Enabled"] = "false",
        ["Gate__ApiBaseUrl"] = "http://127.0.0.1:9",
        ["Gate__HostedBaseUrl"] = "http://127.0.0.1:9",
        ["Gate__SecretKey"] = "sk_test_portal_process",
        ["Gate__PublishableKey"] = "pk_test_portal_process",
        ["Gate__WebhookSecrets__0"] = PortalAppFactory.WebhookSecret,
        ["Oidc__Authority"] = PortalAppFactory.Authority,
        ["Oidc__ClientId"] = "portal",
        ["Oidc__ClientSecret"] = "process-test-secret",
        ["RateLimits__ConcurrentDeliveries"] = "256",
    };

    public static PortalProcess Start(IReadOnlyDictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { PortalDll },
            WorkingDirectory = Path.GetDirectoryName(PortalDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var urls = environment.TryGetValue("Urls", out var configured) && configured is not null ? configured : "http://127.0.0.1:5080";
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var portal = new PortalProcess(process, new Uri(urls.Split(';')[0]));
        process.OutputDataReceived += (_, e) => portal.Append(e.Data);
        process.ErrorDataReceived += (_, e) => portal.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return portal;
    }

    /// <summary>Polls <c>/readyz</c> until it answers 200; false if the process exits or <paramref name="limit"/> passes first.</summary>
    public async Task<bool> WaitUntilReadyAsync(TimeSpan limit)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < limit && !_process.HasExited)
        {
            try
            {
                if ((await client.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Busy starting.
            }

            await Task.Delay(50);
        }

        return false;
    }

    /// <summary>SIGKILL: no shutdown code runs, exactly like a crash or an OOM kill.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit();
    }

    public async Task<bool> WaitForExitAsync(TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            _process.WaitForExit(); // drains the redirected output
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
