using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Core.Attempts;

namespace Portal.Core.Persistence;

/// <summary>Retention of operational rows: refused-delivery samples and tallies age out and samples are capped.</summary>
public sealed class StoreMaintenance(IStoreWriter store, IOptions<SweeperOptions> options, TimeProvider time, ILogger<StoreMaintenance> logger)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        var samplesBefore = now - o.RejectedSampleRetention;
        var talliesBefore = now - o.RejectedTallyRetention;
        var removed = await store.WriteAsync(async (db, ct) =>
        {
            var deleted = await db.RejectedDeliveries.Where(r => r.ReceivedAt < samplesBefore).ExecuteDeleteAsync(ct);
            var keepFrom = await db.RejectedDeliveries.OrderByDescending(r => r.Id).Skip(o.MaxRejectedSamples).Select(r => (long?)r.Id).FirstOrDefaultAsync(ct);
            if (keepFrom is { } cut)
            {
                deleted += await db.RejectedDeliveries.Where(r => r.Id <= cut).ExecuteDeleteAsync(ct);
            }

            return deleted + await db.RejectedDeliveryTallies.Where(t => t.Minute < talliesBefore).ExecuteDeleteAsync(ct);
        }, cancellationToken);
        if (removed > 0)
        {
            logger.LogInformation("Store maintenance removed {Count} expired rows", removed);
        }

        return removed;
    }
}
