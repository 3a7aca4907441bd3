namespace Portal.Core.Gate;

/// <summary>A call's outcome with 0Gate's <c>Request-Id</c>, recorded on the timeline for support.</summary>
public sealed record GateResponse<T>(T Value, string? RequestId);
