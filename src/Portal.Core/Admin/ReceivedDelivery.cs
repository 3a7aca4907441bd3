namespace Portal.Core.Admin;

/// <summary>A delivery the portal received: the first one of an event id (with how it was handled) or a repeat.</summary>
public sealed record ReceivedDelivery(DateTimeOffset ReceivedAt, string EventId, string EventType, bool Duplicate, string? Outcome);
