using Portal.Core.Gate;

namespace Portal.Core.Admin;

/// <summary>The latest known quota level, and how it is known.</summary>
public sealed record QuotaLevel(
    QuotaSource Source,
    GateQuota? Reported,
    string? RequestId,
    string? LatestEventType,
    DateTimeOffset? LatestEventAt,
    string? Problem)
{
    public bool Unlimited => Reported is { Limit: <= 0 };

    /// <summary>Used share of the limit, 0–100, when 0Gate reported a limit.</summary>
    public double? PercentUsed => Reported is { Limit: > 0 } q ? Math.Clamp(q.Used * 100.0 / q.Limit, 0, 100) : null;
}
