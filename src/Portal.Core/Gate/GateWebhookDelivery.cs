namespace Portal.Core.Gate;

/// <summary>
/// One delivery of one event by 0Gate's webhook worker (times in unix milliseconds): its state after the latest try,
/// and each try in order.
/// </summary>
public sealed record GateWebhookDelivery(
    string? EventId,
    string? EventType,
    string? Status,
    int? Attempt,
    int? HttpStatus,
    long? NextRetryAt,
    long? CreatedAt,
    string? Id = null,
    string? Error = null,
    long? DeliveredAt = null,
    IReadOnlyList<GateDeliveryAttempt>? Attempts = null);
