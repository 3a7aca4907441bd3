using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Portal.Core.Limits;

namespace Portal.Endpoints;

/// <summary>
/// The webhook endpoint's two limits, from .NET's built-in rate limiters: a token bucket per client IP for deliveries
/// that fail the signature (a flood of junk is answered 429 and costs no storage), and one concurrency limit with a
/// queue for valid deliveries (beyond it: 503 with Retry-After, so 0Gate retries later).
/// </summary>
public sealed class WebhookLimits : IDisposable
{
    private readonly PartitionedRateLimiter<string> _invalidPerClient;
    private readonly ConcurrencyLimiter _deliveries;
    private readonly int _slots;

    public WebhookLimits(IOptions<RateLimitOptions> options)
    {
        var limits = options.Value;
        var perTenSeconds = Math.Max(1, limits.InvalidDeliveriesPerMinute / 6);
        _invalidPerClient = PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.GetTokenBucketLimiter(client, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = limits.InvalidDeliveriesPerMinute,
            TokensPerPeriod = perTenSeconds,
            ReplenishmentPeriod = TimeSpan.FromSeconds(10),
            AutoReplenishment = true,
            QueueLimit = 0,
        }));
        _slots = limits.ConcurrentDeliveries;
        _deliveries = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = limits.ConcurrentDeliveries,
            QueueLimit = limits.DeliveryQueue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>Valid deliveries being stored right now.</summary>
    public long InFlight => _slots - (_deliveries.GetStatistics()?.CurrentAvailablePermits ?? _slots);

    /// <summary>Valid deliveries waiting for a slot.</summary>
    public long Waiting => _deliveries.GetStatistics()?.CurrentQueuedCount ?? 0;

    /// <summary>A permit to record one more invalid delivery from <paramref name="client"/>; not acquired when it sends too many.</summary>
    public RateLimitLease AcceptInvalid(string client) => _invalidPerClient.AttemptAcquire(client);

    /// <summary>A slot to store a valid delivery; waits in line while others are stored, not acquired when the line is full.</summary>
    public ValueTask<RateLimitLease> AcquireDeliveryAsync(CancellationToken cancellationToken) => _deliveries.AcquireAsync(1, cancellationToken);

    /// <summary>Seconds to put in Retry-After: the limiter's own estimate when it has one.</summary>
    public static string RetryAfterSeconds(RateLimitLease lease, int fallback) =>
        (lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)) : fallback)
            .ToString(CultureInfo.InvariantCulture);

    public void Dispose()
    {
        _invalidPerClient.Dispose();
        _deliveries.Dispose();
    }
}
