using System.Text.Json.Serialization;
using Gate.Sandbox.Api;
using Gate.Sandbox.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Gate.Sandbox.Webhooks;

public sealed record DeliveryAttemptView(int Attempt, int? HttpStatus, string? Error, long AttemptedAt, long? NextRetryAt);

/// <summary>One delivery of one event (duplicates are separate deliveries of the same event id).</summary>
public sealed record DeliveryView(
    string Id,
    string EventId,
    string EventType,
    string Status,
    int Attempt,
    int? HttpStatus,
    string? Error,
    long? NextRetryAt,
    long CreatedAt,
    long? DeliveredAt,
    IReadOnlyList<DeliveryAttemptView> Attempts);

public sealed record DeliveryList([property: JsonPropertyName("object")] string ObjectType, IReadOnlyList<DeliveryView> Data);

/// <summary>Partial update of the failure-mode switches; omitted fields keep their value.</summary>
public sealed record WebhookBehaviorRequest(int? DelayMs, bool? Duplicate, int? ReorderBatchSize, int? ReorderMaxHoldMs, int? FailFirst);

public static class WebhookEndpoints
{
    public static IEndpointRouteBuilder MapWebhookEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/webhook_deliveries", ListDeliveries).RequireApiKey(KeyKinds.Secret);
        routes.MapGet("/v1/sandbox/webhook_behavior", GetBehavior).RequireApiKey(KeyKinds.Secret);
        routes.MapPut("/v1/sandbox/webhook_behavior", PutBehavior).RequireApiKey(KeyKinds.Secret);
        return routes;
    }

    /// <summary>Newest first; times are unix milliseconds. <c>limit</c> 1–500 (default 100), optional <c>event_id</c>.</summary>
    public static async Task<Ok<DeliveryList>> ListDeliveries(SandboxStore store, int? limit, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "event_id")] string? eventId, CancellationToken ct)
    {
        var take = Math.Clamp(limit ?? 100, 1, 500);
        var views = await store.RunAsync(async db =>
        {
            var query = db.Deliveries.AsNoTracking();
            if (!string.IsNullOrEmpty(eventId))
            {
                query = query.Where(d => d.EventId == eventId);
            }

            var deliveries = await query.OrderByDescending(d => d.Sequence).Take(take).ToListAsync(ct);
            var ids = deliveries.Select(d => d.Id).ToList();
            var attempts = (await db.DeliveryAttempts.AsNoTracking().Where(a => ids.Contains(a.DeliveryId)).OrderBy(a => a.Sequence).ToListAsync(ct))
                .ToLookup(a => a.DeliveryId);
            return deliveries.Select(d => new DeliveryView(
                d.Id, d.EventId, d.EventType, d.Status, d.Attempts, d.LastHttpStatus, d.LastError, d.NextAttemptAt, d.CreatedAt, d.DeliveredAt,
                attempts[d.Id].Select(a => new DeliveryAttemptView(a.Attempt, a.HttpStatus, a.Error, a.AttemptedAt, a.NextRetryAt)).ToList())).ToList();
        }, ct);
        return TypedResults.Ok(new DeliveryList("list", views));
    }

    public static Ok<WebhookBehaviorSettings> GetBehavior(WebhookBehavior behavior) => TypedResults.Ok(behavior.Current);

    public static Results<Ok<WebhookBehaviorSettings>, JsonHttpResult<ErrorEnvelope>> PutBehavior(
        WebhookBehaviorRequest request, WebhookBehavior behavior, DeliveryWakeup wakeup, HttpContext context)
    {
        if (request.DelayMs is < 0 or > 86_400_000 || request.ReorderBatchSize is < 0 or > 1000
            || request.ReorderMaxHoldMs is < 1 or > 3_600_000 || request.FailFirst is < 0 or > 10_000)
        {
            return ApiError.Invalid(context, "parameter_out_of_range",
                "delay_ms 0–86400000, reorder_batch_size 0–1000, reorder_max_hold_ms 1–3600000, fail_first 0–10000.");
        }

        var updated = behavior.Update(b => new WebhookBehaviorSettings(
            request.DelayMs ?? b.DelayMs,
            request.Duplicate ?? b.Duplicate,
            request.ReorderBatchSize ?? b.ReorderBatchSize,
            request.ReorderMaxHoldMs ?? b.ReorderMaxHoldMs,
            request.FailFirst ?? b.FailFirst));
        wakeup.Notify(); // a released reorder hold should flush now
        return TypedResults.Ok(updated);
    }
}
