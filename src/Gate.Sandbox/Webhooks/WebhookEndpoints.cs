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

/// <summary>
/// POST /v1/sandbox/test_events: the type of the event to make up and deliver; with <c>session_id</c>, a terminal
/// <c>gate_session.*</c> event about that real, already closed session that contradicts how it closed (the session
/// itself is not changed), so a partner can try its "closed, then a conflicting event" handling by hand.
/// </summary>
public sealed record TestEventRequest(string? Type, string? SessionId = null);

/// <summary>Partial update of the failure-mode switches; omitted fields keep their value.</summary>
public sealed record WebhookBehaviorRequest(int? DelayMs, bool? Duplicate, int? ReorderBatchSize, int? ReorderMaxHoldMs, int? FailFirst);

public static class WebhookEndpoints
{
    public static IEndpointRouteBuilder MapWebhookEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/webhook_deliveries", ListDeliveries).RequireApiKey(KeyKinds.Secret);
        routes.MapGet("/v1/sandbox/webhook_behavior", GetBehavior).RequireApiKey(KeyKinds.Secret);
        routes.MapPut("/v1/sandbox/webhook_behavior", PutBehavior).RequireApiKey(KeyKinds.Secret);

        // Developer tools: test mode only (a live partner gets 403 sandbox_only).
        routes.MapPost("/v1/events/{id}/resend", ResendEvent).RequireApiKey(KeyKinds.Secret).AddEndpointFilter(TestModeOnly);
        routes.MapPost("/v1/sandbox/test_events", SendTestEvent).RequireApiKey(KeyKinds.Secret).AddEndpointFilter(TestModeOnly);
        return routes;
    }

    /// <summary>Delivers a stored event once more (same id, same body), due now. Answers the new delivery (<c>pending</c>).</summary>
    public static async Task<Results<Ok<DeliveryView>, JsonHttpResult<ErrorEnvelope>>> ResendEvent(string id, EventTools tools, HttpContext context, CancellationToken ct)
    {
        var delivery = await tools.ResendAsync(id, ct);
        return delivery is null
            ? ApiError.NotFound(context, "event_not_found", "No such event for this partner.")
            : TypedResults.Ok(new DeliveryView(delivery.Id, delivery.EventId, delivery.EventType, delivery.Status, delivery.Attempts,
                delivery.LastHttpStatus, delivery.LastError, delivery.NextAttemptAt, delivery.CreatedAt, delivery.DeliveredAt, []));
    }

    /// <summary>Makes up an event of the given type, signs and delivers it like any other. Answers the event exactly as delivered.</summary>
    public static async Task<Results<ContentHttpResult, JsonHttpResult<ErrorEnvelope>>> SendTestEvent(TestEventRequest? request, EventTools tools, HttpContext context, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request?.Type))
        {
            return ApiError.Invalid(context, "parameter_missing", "'type' is required, e.g. {\"type\":\"gate_session.completed\"}.");
        }

        if (!EventTools.IsValidType(request.Type))
        {
            return ApiError.Invalid(context, "event_type_invalid",
                $"'type' must be a dotted lower-case event name of at most {EventTools.MaxTypeLength} characters, e.g. gate_session.completed.");
        }

        if (request.SessionId is { } sessionId)
        {
            var conflicting = await tools.SendConflictingAsync(request.Type, sessionId, ct);
            return conflicting switch
            {
                { Record: { } sent } => TypedResults.Text(sent.Body, "application/json; charset=utf-8", System.Text.Encoding.UTF8),
                { Problem: ConflictProblem.NotTerminalType } => ApiError.Invalid(context, "event_type_not_terminal",
                    "With session_id, 'type' is gate_session.completed, gate_session.failed, gate_session.expired or gate_session.cancelled."),
                { Problem: ConflictProblem.NoSuchSession } => ApiError.NotFound(context, "session_not_found", $"No session {sessionId}."),
                _ => ApiError.Conflict(context, "event_not_conflicting",
                    "The session is still open or already closed that way: a conflicting event needs a closed session and another terminal type."),
            };
        }

        var record = await tools.SendTestAsync(request.Type, ct);
        return TypedResults.Text(record.Body, "application/json; charset=utf-8", System.Text.Encoding.UTF8);
    }

    private static async ValueTask<object?> TestModeOnly(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        return http.RequestServices.GetRequiredService<Partner.PartnerState>().LiveMode
            ? ApiError.Create(http, StatusCodes.Status403Forbidden, ErrorTypes.Permission, "sandbox_only",
                "Resending events and test events are sandbox tools; they are not available to a live partner.")
            : await next(context);
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
