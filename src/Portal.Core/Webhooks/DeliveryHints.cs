namespace Portal.Core.Webhooks;

/// <summary>Unauthenticated companion headers: logged for correlation, never trusted.</summary>
public sealed record DeliveryHints(string? EventId, string? EventType, string? Timestamp);
