namespace Portal.Core.Admin;

/// <summary>The most recent verified event and the fingerprint of the secret that verified it (null for events stored before fingerprints were kept).</summary>
public sealed record LatestVerification(string EventId, string EventType, DateTimeOffset ReceivedAt, string? Fingerprint, bool Configured);
