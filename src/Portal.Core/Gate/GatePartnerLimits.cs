namespace Portal.Core.Gate;

/// <summary>What of the partner settings decides whether a checkout can start: the allowed domains and the quota (when reported).</summary>
public sealed record GatePartnerLimits(IReadOnlyList<string>? AllowedDomains, GateQuota? Quota);
