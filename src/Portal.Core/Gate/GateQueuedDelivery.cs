namespace Portal.Core.Gate;

/// <summary>A delivery 0Gate queued (a resend): its id and the event it carries.</summary>
public sealed record GateQueuedDelivery(string Id, string EventId, string EventType, string? Status);
