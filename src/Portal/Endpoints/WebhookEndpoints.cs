using System.Buffers;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Core.Webhooks;

namespace Portal.Endpoints;

public static class WebhookEndpoints
{
    /// <summary>0Gate signs bodies well under this; anything larger is refused before it is stored.</summary>
    public const int MaxBodyBytes = 256 * 1024;

    public static IEndpointRouteBuilder MapWebhookEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/webhooks/0gate", ReceiveGateEvent)
            .WithName("ReceiveGateWebhook")
            .DisableAntiforgery()
            .AllowAnonymous();
        return endpoints;
    }

    /// <summary>
    /// Verify, dedupe and apply; answer only after the commit. 200 for anything 0Gate should stop
    /// retrying (including duplicates, unknown types and unknown sessions), 400 for a bad signature
    /// or body, 413 for an oversized body, 503 when the store cannot commit (so 0Gate retries).
    /// </summary>
    internal static async Task<Results<Ok<WebhookAck>, ProblemHttpResult>> ReceiveGateEvent(
        HttpContext context,
        WebhookIngestion ingestion,
        CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (request.ContentLength > MaxBodyBytes)
        {
            return TooLarge();
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes + 1;
        }

        byte[]? body;
        try
        {
            body = await ReadBodyAsync(request.Body, cancellationToken);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            body = null;
        }

        if (body is null)
        {
            return TooLarge();
        }

        var hints = new DeliveryHints(
            request.Headers["X-0bit-Event-Id"].FirstOrDefault(),
            request.Headers["X-0bit-Event-Type"].FirstOrDefault(),
            request.Headers["X-0bit-Timestamp"].FirstOrDefault());
        var result = await ingestion.IngestAsync(body, request.Headers["Gate-Signature"].FirstOrDefault(), hints, cancellationToken);

        return result.Status switch
        {
            IngestionStatus.Processed or IngestionStatus.Duplicate =>
                TypedResults.Ok(new WebhookAck(true, result.EventId, result.Status == IngestionStatus.Duplicate)),
            IngestionStatus.SignatureRejected =>
                TypedResults.Problem(result.Detail, statusCode: StatusCodes.Status400BadRequest, title: "Invalid signature"),
            IngestionStatus.MalformedBody =>
                TypedResults.Problem(result.Detail, statusCode: StatusCodes.Status400BadRequest, title: "Malformed event"),
            _ => StorageUnavailable(context, result.Detail),
        };
    }

    private static ProblemHttpResult TooLarge() =>
        TypedResults.Problem($"Webhook bodies are limited to {MaxBodyBytes / 1024} KiB.", statusCode: StatusCodes.Status413PayloadTooLarge, title: "Body too large");

    private static ProblemHttpResult StorageUnavailable(HttpContext context, string detail)
    {
        context.Response.Headers.RetryAfter = "5";
        return TypedResults.Problem(detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Temporarily unavailable");
    }

    /// <summary>Reads the raw bytes, or null once more than <see cref="MaxBodyBytes"/> arrive.</summary>
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

public sealed record WebhookAck(bool Received, string? EventId, bool Duplicate);
