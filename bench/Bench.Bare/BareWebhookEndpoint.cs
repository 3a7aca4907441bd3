using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bench.Bare;

/// <summary>
/// <c>POST /webhooks/0gate</c> doing only what every webhook receiver must: read the raw body, verify
/// <c>Gate-Signature</c> (HMAC-SHA256 keyed with the UTF-8 bytes of the whole <c>whsec_…</c> secret over
/// <c>"&lt;t&gt;." + body</c>, fixed-time compare, ±300 s), read the event id, and one
/// <c>INSERT … ON CONFLICT(id) DO NOTHING</c> (SQLite or PostgreSQL, <see cref="IBareEventStore"/>); 200 after the commit.
/// </summary>
public static class BareWebhookEndpoint
{
    private const int MaxBodyBytes = 256 * 1024;
    private const long ToleranceSeconds = 300;

    public static IEndpointRouteBuilder MapBareWebhook(this IEndpointRouteBuilder endpoints)
    {
        var secret = endpoints.ServiceProvider.GetRequiredService<IConfiguration>()["Bare:WebhookSecret"] is { Length: > 0 } configured
            ? configured
            : "whsec_portal_sandbox_dev_only";
        var key = Encoding.UTF8.GetBytes(secret);
        endpoints.MapPost("/webhooks/0gate", (HttpRequest request, IBareEventStore store, CancellationToken cancellationToken) =>
            ReceiveAsync(request, key, store, cancellationToken));
        return endpoints;
    }

    private static async Task<Results<Ok<BareAck>, BadRequest, StatusCodeHttpResult>> ReceiveAsync(
        HttpRequest request, byte[] key, IBareEventStore store, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync(request.Body, cancellationToken);
        if (body is null)
        {
            return TypedResults.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        if (!Verify(request.Headers["Gate-Signature"].ToString(), body, key) || ReadEventId(body) is not { } eventId)
        {
            return TypedResults.BadRequest();
        }

        var inserted = await store.InsertAsync(eventId, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), cancellationToken);
        return TypedResults.Ok(new BareAck(true, eventId, !inserted));
    }

    private static bool Verify(string header, byte[] body, byte[] key)
    {
        long? timestamp = null;
        var candidates = new List<byte[]>(1);
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.StartsWith("t=", StringComparison.Ordinal)
                && long.TryParse(part.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var t))
            {
                timestamp = t;
            }
            else if (part.StartsWith("v1=", StringComparison.Ordinal) && part.Length == 3 + 64)
            {
                try
                {
                    candidates.Add(Convert.FromHexString(part.AsSpan(3)));
                }
                catch (FormatException)
                {
                    // not hex: ignored like any other malformed entry
                }
            }
        }

        if (timestamp is not { } signedAt || candidates.Count == 0
            || Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - signedAt) > ToleranceSeconds)
        {
            return false;
        }

        var prefix = Encoding.ASCII.GetBytes(signedAt.ToString(CultureInfo.InvariantCulture) + ".");
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(prefix);
        hmac.AppendData(body);
        var expected = hmac.GetHashAndReset();
        return candidates.Exists(candidate => CryptographicOperations.FixedTimeEquals(candidate, expected));
    }

    /// <summary>The top-level string <c>id</c> of a JSON object, or null.</summary>
    private static string? ReadEventId(byte[] body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isId = reader.ValueTextEquals("id"u8);
                reader.Read();
                if (isId)
                {
                    return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }

                reader.Skip();
            }

            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task<byte[]?> ReadBodyAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(MaxBodyBytes + 1);
        try
        {
            var total = 0;
            int read;
            while ((read = await body.ReadAsync(buffer.AsMemory(total, MaxBodyBytes + 1 - total), cancellationToken)) > 0)
            {
                total += read;
                if (total > MaxBodyBytes)
                {
                    return null;
                }
            }

            return buffer.AsSpan(0, total).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

public sealed record BareAck(bool Received, string? EventId, bool Duplicate);

