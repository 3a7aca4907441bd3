using System.Net;

namespace Portal.Bench.Load;

/// <summary>The load generator's HTTP client: pooled connections without a per-host cap, no cookie jar, no proxy.</summary>
public static class BenchHttp
{
    public static HttpClient CreateClient(Uri baseAddress) => new(new SocketsHttpHandler
    {
        UseCookies = false,
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        MaxConnectionsPerServer = int.MaxValue,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(10),
    })
    {
        BaseAddress = baseAddress,
        Timeout = LoadLoops.RequestTimeout,
        DefaultRequestVersion = HttpVersion.Version11,
    };

    /// <summary>Sends, drains the body (so the connection is reused) and returns the status code.</summary>
    public static async Task<int> SendForStatusAsync(this HttpClient client, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        using (var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken))
        {
            return (int)response.StatusCode;
        }
    }
}
