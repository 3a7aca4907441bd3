using Microsoft.EntityFrameworkCore;

namespace Portal.Core.Admin;

public sealed record WebhookTraffic(IReadOnlyList<DateTimeOffset> BucketStarts, TimeSpan BucketSize, IReadOnlyList<TrafficSeries> Series)
{
    public int Total(TrafficKind kind) => Series.Where(s => s.Kind == kind).Sum(s => s.Total);
}
