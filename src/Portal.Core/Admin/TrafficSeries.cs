using Microsoft.EntityFrameworkCore;

namespace Portal.Core.Admin;

/// <summary>One stacked series of the webhook chart: a count per time bucket.</summary>
public sealed record TrafficSeries(TrafficKind Kind, string Name, IReadOnlyList<int> Counts)
{
    public int Total => Counts.Sum();

    /// <summary>The legend label: "applied", "duplicate", "rejected: no_matching_signature".</summary>
    public string Label => Kind == TrafficKind.Rejected ? $"rejected: {Name}" : Name;
}
