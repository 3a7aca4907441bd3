namespace Portal.Core.Reads;

/// <summary>Which configured webhook secret verified an event: its fingerprint (never the secret) and where it sits in the configuration.</summary>
public sealed record EventVerification(string Fingerprint, string Secret);
