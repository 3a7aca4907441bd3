using System.ComponentModel.DataAnnotations;

namespace Portal.Core.Limits;

/// <summary>
/// How much any one client may ask for (section <c>RateLimits</c>). The defaults suit production; tests that sign in
/// or start checkouts many times a minute from one address raise them.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Requests to <c>/login</c> and <c>/signin-oidc</c> per client IP in any minute (sliding window).</summary>
    [Range(1, 100_000, ErrorMessage = "RateLimits:SignInPerMinute must be between 1 and 100000.")]
    public int SignInPerMinute { get; set; } = 30;

    /// <summary>Webhook deliveries that fail the signature per client IP per minute (token bucket; the burst is the same).</summary>
    [Range(1, 100_000, ErrorMessage = "RateLimits:InvalidDeliveriesPerMinute must be between 1 and 100000.")]
    public int InvalidDeliveriesPerMinute { get; set; } = 60;

    /// <summary>Valid deliveries being stored at once; more wait in line up to <see cref="DeliveryQueue"/>.</summary>
    [Range(1, 10_000, ErrorMessage = "RateLimits:ConcurrentDeliveries must be between 1 and 10000.")]
    public int ConcurrentDeliveries { get; set; } = 128;

    /// <summary>Valid deliveries that may wait for a slot; beyond that they are answered 503 with Retry-After.</summary>
    [Range(0, 100_000, ErrorMessage = "RateLimits:DeliveryQueue must be between 0 and 100000.")]
    public int DeliveryQueue { get; set; } = 2048;

    /// <summary>Checkouts one customer may start per minute.</summary>
    [Range(1, 100_000, ErrorMessage = "RateLimits:CheckoutStartsPerMinute must be between 1 and 100000.")]
    public int CheckoutStartsPerMinute { get; set; } = 10;

    /// <summary>Reconciles (reads of 0Gate) one staff member may ask for per minute.</summary>
    [Range(1, 100_000, ErrorMessage = "RateLimits:ReconcilesPerMinute must be between 1 and 100000.")]
    public int ReconcilesPerMinute { get; set; } = 30;

    /// <summary>The most attempts one bulk reconcile run reads (support narrows the window for more).</summary>
    [Range(1, 10_000, ErrorMessage = "RateLimits:BulkReconcileMaxAttempts must be between 1 and 10000.")]
    public int BulkReconcileMaxAttempts { get; set; } = 500;

    /// <summary>Sessions a bulk run reads from 0Gate at once.</summary>
    [Range(1, 8, ErrorMessage = "RateLimits:BulkReconcileConcurrency must be between 1 and 8.")]
    public int BulkReconcileConcurrency { get; set; } = 2;

    /// <summary>Session reads per second a bulk run sends to 0Gate at most (so 0Gate is not hammered).</summary>
    [Range(1, 10_000, ErrorMessage = "RateLimits:BulkReconcileReadsPerSecond must be between 1 and 10000.")]
    public int BulkReconcileReadsPerSecond { get; set; } = 5;
}
