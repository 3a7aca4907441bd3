using Portal.Core.Gate;

namespace Portal.Core.Checkout;

/// <summary>
/// What 0Gate's partner settings say about starting a checkout, read at most every half minute: the portal's own
/// origin must be an allowed domain (else the hosted page would refuse to show inside it, after a session was created
/// and counted against the quota), and the quota must not be used up. A setting 0Gate does not report, or a read that
/// fails, refuses nothing: 0Gate itself still refuses the session then.
/// </summary>
public sealed class CheckoutPreflight(GateClient gate, TimeProvider time, ILogger<CheckoutPreflight> logger)
{
    public const string OriginNotAllowed = "origin_not_allowed";
    public const string QuotaUsedUp = "quota_used_up";

    public const string Unavailable = "Checkout is unavailable right now. Please try again later.";
    public const string QuotaUnavailable = "No new checkout can be started right now: the limit for new checkouts has been reached. Please try again later.";

    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    /// <summary>How long a refused start keeps the admin overview's alert up after the last one.</summary>
    private static readonly TimeSpan RefusalAlertFor = TimeSpan.FromMinutes(15);

    private (GatePartnerLimits Value, DateTimeOffset ReadAt)? _cached;
    private (string Origin, DateTimeOffset At)? _lastOriginRefusal;

    /// <summary>
    /// The portal's own origin when a start was refused for it in the last 15 minutes (0Gate's allowed domains lack
    /// it, so customers cannot check out): the admin overview raises an alert.
    /// </summary>
    public string? RecentOriginRefusal =>
        _lastOriginRefusal is { } refusal && time.GetUtcNow() - refusal.At < RefusalAlertFor ? refusal.Origin : null;

    /// <param name="portalBase">The portal's address as the customer reached it (its origin is what frames the hosted page).</param>
    public async Task<StartRefusal?> CheckAsync(Uri portalBase, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(portalBase);
        var limits = await ReadAsync(cancellationToken);
        if (limits is null)
        {
            return null;
        }

        if (limits.Quota is { Limit: > 0 } quota && quota.Used >= quota.Limit)
        {
            return new(QuotaUsedUp, QuotaUnavailable);
        }

        var own = EmbeddingPolicy.OwnOrigin(portalBase.ToString());
        if (limits.AllowedDomains is { } allowed && own is not null && !allowed.Contains(own, StringComparer.OrdinalIgnoreCase))
        {
            logger.LogWarning("Checkout start refused: the portal's own origin {Origin} is not among 0Gate's allowed domains", own);
            _lastOriginRefusal = (own, time.GetUtcNow());
            return new(OriginNotAllowed, Unavailable);
        }

        return null;
    }

    /// <summary>Forget the cached settings (0Gate refused a session, or an admin changed the allowed domains).</summary>
    public void Invalidate()
    {
        _cached = null;
        _lastOriginRefusal = null; // the list changed: the next start tells again
    }

    private async Task<GatePartnerLimits?> ReadAsync(CancellationToken cancellationToken)
    {
        if (_cached is { } fresh && time.GetUtcNow() - fresh.ReadAt < Lifetime)
        {
            return fresh.Value;
        }

        try
        {
            var read = await gate.GetPartnerLimitsAsync(cancellationToken);
            _cached = (read.Value, time.GetUtcNow());
            return read.Value;
        }
        catch (GateApiException ex)
        {
            logger.LogWarning("Reading the 0Gate partner settings before a start failed: {Code} (request {RequestId})", ex.Code, ex.RequestId);
            return null;
        }
    }
}
