using Microsoft.EntityFrameworkCore;
using Portal.Core.Persistence;

namespace Portal.Core.Admin;

/// <summary>
/// Where the window starts on the timeline. The timeline has no index on its time, but it is append-only: ids grow
/// with time (one writer commits at a time; several instances' clocks agree to well under a bucket). So a binary search
/// over the primary key, one index seek per step, finds the window's first line without scanning the ones before it.
/// </summary>
internal static class TimelineWindow
{
    public static async Task<long?> FirstIdAtOrAfterAsync(PortalDbContext db, DateTimeOffset since, CancellationToken ct)
    {
        var last = await db.Timeline.AsNoTracking().OrderByDescending(t => t.Id).Select(t => new { t.Id, t.OccurredAt }).FirstOrDefaultAsync(ct);
        if (last is null || last.OccurredAt < since)
        {
            return null;
        }

        // Every line with an id up to low is before the window; the window's first line is no later than the first line
        // after high (the last line itself, to begin with).
        long low = 0, high = last.Id;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            var probe = await db.Timeline.AsNoTracking().Where(t => t.Id > middle).OrderBy(t => t.Id).Select(t => new { t.Id, t.OccurredAt }).FirstAsync(ct);
            if (probe.OccurredAt >= since)
            {
                high = middle;
            }
            else
            {
                low = probe.Id;
            }
        }

        return low + 1;
    }
}
