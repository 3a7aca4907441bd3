namespace Portal.Core.Admin;

/// <summary>What the allowed-domains screen shows: 0Gate's partner settings as they are now.</summary>
public sealed record AllowedDomainsSettings(IReadOnlyList<string> Origins, string? WebhookUrl, string? RequestId);
