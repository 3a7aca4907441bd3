namespace Portal.Core.Gate;

/// <summary>One try of a delivery: HTTP status (none when the connection failed), the error, and when the next try is due.</summary>
public sealed record GateDeliveryAttempt(int? Attempt, int? HttpStatus, string? Error, long? AttemptedAt, long? NextRetryAt);
