using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Portal.Core.Limits;

/// <summary>
/// Per-person limits on actions that cost a call to 0Gate: starting a checkout (per customer) and reconciling (per
/// staff member). Sliding windows of one minute from .NET's built-in rate limiters, partitioned by who asks.
/// </summary>
public sealed class UserActionLimits : IDisposable
{
    private readonly PartitionedRateLimiter<string> _starts;
    private readonly PartitionedRateLimiter<string> _reconciles;

    public UserActionLimits(IOptions<RateLimitOptions> options)
    {
        _starts = PerMinute(options.Value.CheckoutStartsPerMinute);
        _reconciles = PerMinute(options.Value.ReconcilesPerMinute);
    }

    public bool TryStartCheckout(string accountId) => TryAcquire(_starts, accountId);

    public bool TryReconcile(string staffName) => TryAcquire(_reconciles, staffName);

    public void Dispose()
    {
        _starts.Dispose();
        _reconciles.Dispose();
    }

    private static bool TryAcquire(PartitionedRateLimiter<string> limiter, string who)
    {
        using var lease = limiter.AttemptAcquire(who);
        return lease.IsAcquired;
    }

    private static PartitionedRateLimiter<string> PerMinute(int permits) =>
        PartitionedRateLimiter.Create<string, string>(who => RateLimitPartition.GetSlidingWindowLimiter(who, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = TimeSpan.FromMinutes(1),
            SegmentsPerWindow = 6,
            QueueLimit = 0,
        }));
}
