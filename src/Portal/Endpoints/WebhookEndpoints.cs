using System.Buffers;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using System.Diagnostics;
using Portal.Core.Telemetry;
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
    /// Verify, dedupe and apply; answer only after the commit. 200 for anything 0Gate should stop retrying (including
    /// duplicates, unknown types and unknown sessions); 400 with a reason for a bad signature or body; 413 for an
    /// oversized body; 429 when one client keeps sending invalid deliveries; 503 with Retry-After when the store
    /// cannot commit in time or too many deliveries wait (so 0Gate retries).
    /// </summary>
    internal static async Task<Results<Ok<WebhookAck>, ProblemHttpResult>> ReceiveGateEvent(
        HttpContext context,
        WebhookIngestion ingestion,
        WebhookLimits limits,
        PortalTelemetry telemetry,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        using var activity = PortalTelemetry.Source.StartActivity("webhook.receive", ActivityKind.Server);
        var started = time.GetTimestamp();
        var (result, outcome, eventType) = await ReceiveAsync(context, ingestion, limits, telemetry, cancellationToken);
        activity?.SetTag("portal.webhook.outcome", outcome);
        telemetry.Delivery(outcome, eventType, time.GetElapsedTime(started));
        return result;
    }

    private static async Task<(Results<Ok<WebhookAck>, ProblemHttpResult> Result, string Outcome, string? EventType)> ReceiveAsync(
        HttpContext context, WebhookIngestion ingestion, WebhookLimits limits, PortalTelemetry telemetry, CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (request.ContentLength > MaxBodyBytes)
        {
            return (TooLarge(), "too_large", null);
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
            return (TooLarge(), "too_large", null);
        }

        var hints = new DeliveryHints(
            request.Headers["X-0bit-Event-Id"].FirstOrDefault(),
            request.Headers["X-0bit-Event-Type"].FirstOrDefault(),
            request.Headers["X-0bit-Timestamp"].FirstOrDefault());
        var delivery = ingestion.Check(body, request.Headers["Gate-Signature"].FirstOrDefault());
        if (delivery.Signature.SkewSeconds is { } skew)
        {
            telemetry.SignatureSkew(skew, delivery.Signature.IsValid);
        }

        Activity.Current?.SetTag("gate.event.id", delivery.Event?.Id);
        Activity.Current?.SetTag("gate.event.type", delivery.Event?.Type);
        if (!delivery.IsEvent)
        {
            if (delivery.SignatureFailed)
            {
                using var permit = limits.AcceptInvalid(context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
                if (!permit.IsAcquired)
                {
                    context.Response.Headers.RetryAfter = WebhookLimits.RetryAfterSeconds(permit, fallback: 10);
                    return (Problem(StatusCodes.Status429TooManyRequests, "Too many invalid deliveries",
                        "This client sent too many deliveries that failed the signature; nothing was recorded.", "too_many_invalid_deliveries"), "rate_limited", null);
                }
            }

            await ingestion.RecordRejectionAsync(delivery, body, hints, cancellationToken);
            return (Problem(StatusCodes.Status400BadRequest, delivery.SignatureFailed ? "Invalid signature" : "Malformed event", delivery.Detail!, delivery.Reason!),
                delivery.SignatureFailed ? "signature_rejected" : "malformed", null);
        }

        using var slot = await limits.AcquireDeliveryAsync(cancellationToken);
        var type = delivery.Event!.Type;
        if (!slot.IsAcquired)
        {
            return (Unavailable(context, "Too many deliveries are waiting to be stored. Retry later.", "busy"), "busy", type);
        }

        var result = await ingestion.ApplyAsync(delivery, hints, cancellationToken);
        return result.Status switch
        {
            IngestionStatus.Processed => (TypedResults.Ok(new WebhookAck(true, result.EventId, false)), "processed", type),
            IngestionStatus.Duplicate => (TypedResults.Ok(new WebhookAck(true, result.EventId, true)), "duplicate", type),
            _ => (Unavailable(context, result.Detail, "storage_unavailable"), "storage_unavailable", type),
        };
    }

    private static ProblemHttpResult TooLarge() =>
        Problem(StatusCodes.Status413PayloadTooLarge, "Body too large", $"Webhook bodies are limited to {MaxBodyBytes / 1024} KiB.", "body_too_large");

    private static ProblemHttpResult Unavailable(HttpContext context, string detail, string reason)
    {
        context.Response.Headers.RetryAfter = "5";
        return Problem(StatusCodes.Status503ServiceUnavailable, "Temporarily unavailable", detail, reason);
    }

    /// <summary>problem+json with a machine-readable <c>reason</c> (e.g. <c>timestamp_out_of_tolerance</c>).</summary>
    private static ProblemHttpResult Problem(int status, string title, string detail, string reason) =>
        TypedResults.Problem(detail, statusCode: status, title: title, extensions: new Dictionary<string, object?> { ["reason"] = reason });

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
