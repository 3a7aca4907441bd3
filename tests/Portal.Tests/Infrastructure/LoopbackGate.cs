using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Portal.Tests.Infrastructure;

/// <summary>How a <see cref="LoopbackGate"/> answers.</summary>
internal enum LoopbackGateMode
{
    /// <summary>Receipts and session reads as 0Gate would give them.</summary>
    Healthy,

    /// <summary>Accepts every request and never answers (until the caller gives up): 0Gate hanging.</summary>
    Hanging,

    /// <summary>Answers every request 503: 0Gate down behind its load balancer.</summary>
    Down,
}

/// <summary>
/// A stand-in for 0Gate's API as a real HTTP server on a free loopback port, so a portal (in-process or its own
/// process) calls it through its whole outbound pipeline, resilience handler and timeouts included. Answers the
/// receipt read (<c>GET /v1/transactions/{refid}</c>) and session reads and cancels (<c>open</c> sessions).
/// </summary>
internal sealed class LoopbackGate : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;
    private int _transactionReads;

    private LoopbackGate(WebApplication app, int port)
    {
        _app = app;
        Origin = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");
    }

    public string Origin { get; }

    public LoopbackGateMode Mode { get; set; }

    public int Requests => Volatile.Read(ref _requests);

    public int TransactionReads => Volatile.Read(ref _transactionReads);

    public static async Task<LoopbackGate> StartAsync(LoopbackGateMode mode = LoopbackGateMode.Healthy)
    {
        var port = Wait.FreeLoopbackPort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"));
        var app = builder.Build();
        var gate = new LoopbackGate(app, port) { Mode = mode };
        app.Run(gate.AnswerAsync);
        await app.StartAsync();
        return gate;
    }

    private async Task AnswerAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        context.Response.Headers["Request-Id"] = "req_" + Guid.NewGuid().ToString("n")[..12];
        switch (Mode)
        {
            case LoopbackGateMode.Hanging:
                try
                {
                    await Task.Delay(Timeout.Infinite, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    // The caller gave up: what this mode is for.
                }

                return;
            case LoopbackGateMode.Down:
                await Json(context, StatusCodes.Status503ServiceUnavailable, """{"error":{"type":"api_error","code":"unavailable","message":"Down."}}""");
                return;
        }

        var path = context.Request.Path.Value ?? "";
        if (path.StartsWith("/v1/transactions/", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _transactionReads);
            var refid = path["/v1/transactions/".Length..];
            await Json(context, StatusCodes.Status200OK, $$$"""{"refid":"{{{refid}}}","action":"BUY","status":"settled","token":"USDC","token_amt":"10.00","network":"base","currency":"EUR","fiat_amt":"10.00","total_fees":"0.10","blockchain":{"hash":"0xabc","chain_id":8453,"explorer_url":"https://basescan.org/tx/0xabc"}}""");
            return;
        }

        await Json(context, StatusCodes.Status404NotFound, """{"error":{"type":"invalid_request_error","code":"not_found","message":"No such route."}}""");
    }

    private static Task Json(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body);
    }

    public async ValueTask DisposeAsync()
    {
        Mode = LoopbackGateMode.Down;
        await _app.StopAsync(TimeSpan.FromSeconds(2));
        await _app.DisposeAsync();
    }
}
