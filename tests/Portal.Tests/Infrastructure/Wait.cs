using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Portal.Tests.Infrastructure;

/// <summary>Waiting on a condition, never for a fixed time; the timeout only bounds a failure.</summary>
internal static class Wait
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Checks <paramref name="condition"/> until it holds; throws <see cref="TimeoutException"/> with <paramref name="describe"/> after <paramref name="timeout"/>.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> describe)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Gave up after {timeout.TotalSeconds:0} s: {describe()}");
            }

            await Task.Delay(PollInterval);
        }
    }

    /// <summary>Until <paramref name="url"/> answers 200, failing early (with its output) if <paramref name="process"/> exits.</summary>
    public static Task UntilHealthyAsync(HttpClient client, string url, ChildProcess process, TimeSpan timeout) =>
        UntilAsync(
            async () =>
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"{url} never answered: {process.Describe()}");
                }

                try
                {
                    using var response = await client.GetAsync(url);
                    return response.StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    return false; // not listening yet
                }
                catch (TaskCanceledException)
                {
                    return false; // listening, but still busy starting (a loaded machine): ask again
                }
            },
            timeout,
            () => $"{url} did not answer 200. {process.Describe()}");

    /// <summary>A loopback port nobody listens on right now.</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
