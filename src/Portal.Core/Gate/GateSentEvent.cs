namespace Portal.Core.Gate;

/// <summary>A test event 0Gate made up and queued for delivery.</summary>
public sealed record GateSentEvent(string Id, string Type);
