namespace Portal.Core.Admin;

/// <summary>The environment as configured: test or live, and the publishable key's prefix only.</summary>
public sealed record GateEnvironment(string Environment, string PublishableKeyPrefix, string ApiOrigin);
