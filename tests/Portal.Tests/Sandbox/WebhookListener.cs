using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Portal.Tests.Sandbox;

internal sealed record ReceivedWebhook(byte[] RawBody, string? Signature, string? EventId, string? EventType, string? Timestamp, int AnsweredWith)
{
    public JsonElement Json => JsonDocument.Parse(RawBody).RootElement;
    public string Id => Json.GetProperty("id").GetString()!;
    public string Type => Json.GetProperty("type").GetString()!;
}

/// <summary>A tiny partner endpoint on a loopback port that records every webhook it receives.</summary>
internal sealed class WebhookListener : IAsyncDisposable
{
    private readonly Channel<ReceivedWebhook> _received = Channel.CreateUnbounded<ReceivedWebhook>();
    private readonly WebApplication _app;
    private int _count;

    private WebhookListener(WebApplication app) => _app = app;

    /// <summary>Answer for the n-th request (1-based); 200 unless told otherwise.</summary>
    public Func<int, int> Respond { get; set; } = _ => 200;

    public string Url => _app.Urls.First() + "/hooks/0gate";

    public static async Task<WebhookListener> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var listener = new WebhookListener(app);
        app.MapPost("/hooks/0gate", listener.ReceiveAsync);
        await app.StartAsync();
        return listener;
    }

    private async Task ReceiveAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var status = Respond(Interlocked.Increment(ref _count));
        var headers = context.Request.Headers;
        await _received.Writer.WriteAsync(new ReceivedWebhook(
            buffer.ToArray(), headers["Gate-Signature"], headers["X-0bit-Event-Id"], headers["X-0bit-Event-Type"], headers["X-0bit-Timestamp"], status));
        context.Response.StatusCode = status;
    }

    /// <summary>Waits for the next delivery; the timeout is only a failure guard.</summary>
    public async Task<ReceivedWebhook> NextAsync()
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            return await _received.Reader.ReadAsync(guard.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("No webhook arrived within 15 s.");
        }
    }

    public async Task<ReceivedWebhook> NextOfTypeAsync(string type)
    {
        while (true)
        {
            var next = await NextAsync();
            if (next.Type == type)
            {
                return next;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>
/// The test's own reading of the signature scheme, written from the spec and independent of the sandbox:
/// <c>t=&lt;unix&gt;,v1=&lt;hex&gt;</c>, hex = HMAC-SHA256(key = UTF-8 of the whole whsec_ string, "&lt;t&gt;." + raw body).
/// </summary>
internal static class IndependentSignatureCheck
{
    public static bool IsValid(string? header, byte[] rawBody, string secret)
    {
        if (string.IsNullOrEmpty(header))
        {
            return false;
        }

        string? timestamp = null;
        var candidates = new List<string>();
        foreach (var part in header.Split(','))
        {
            var pair = part.Split('=', 2);
            if (pair.Length != 2)
            {
                continue;
            }

            if (pair[0].Trim() == "t")
            {
                timestamp = pair[1].Trim();
            }
            else if (pair[0].Trim() == "v1")
            {
                candidates.Add(pair[1].Trim());
            }
        }

        if (timestamp is null || !long.TryParse(timestamp, out _))
        {
            return false;
        }

        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        hmac.TransformBlock(Encoding.ASCII.GetBytes(timestamp + "."), 0, timestamp.Length + 1, null, 0);
        hmac.TransformFinalBlock(rawBody, 0, rawBody.Length);
        var expected = hmac.Hash!;
        return candidates.Any(c => c.Length == 64 && CryptographicOperations.FixedTimeEquals(Convert.FromHexString(c), expected));
    }
}
