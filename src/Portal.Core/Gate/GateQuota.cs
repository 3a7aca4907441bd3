namespace Portal.Core.Gate;

/// <summary>The partner's session quota, where 0Gate reports it (the sandbox does, on <c>GET /v1/partner</c>). A limit of 0 means unlimited.</summary>
public sealed record GateQuota(int Limit, int Used, int WarningAt);
