using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Core.Gate;
using Portal.Core.Persistence;
using Portal.Core.Support;
using Portal.Core.Webhooks;

namespace Portal.Core.Admin;

public sealed record OutcomeCount(EventOutcome Outcome, int Count)
{
    /// <summary>The stored name, e.g. <c>ignored_after_terminal</c>.</summary>
    public string Name => SnakeCase.From(Outcome.ToString());
}

public sealed record RejectedDeliveryRow(DateTimeOffset ReceivedAt, string Reason, int BodyLength, long? TimestampSkewSeconds);

public sealed record QuotaEventRow(string EventId, string EventType, DateTimeOffset ReceivedAt);

/// <summary>What the portal's own store says about the integration (no 0Gate call involved).</summary>
public sealed record PortalWebhookHealth(
    DateTimeOffset Since,
    IReadOnlyList<OutcomeCount> OutcomesSince,
    DateTimeOffset? LastEventReceivedAt,
    int RejectedSince,
    IReadOnlyList<RejectedDeliveryRow> RecentRejected,
    IReadOnlyList<QuotaEventRow> QuotaEvents,
    int NeedsReview,
    int ConfirmingTooLong,
    int Abandoned)
{
    public int ProcessedSince => OutcomesSince.Sum(o => o.Count);
}

/// <summary>The environment as configured: test or live, and the publishable key's prefix only.</summary>
public sealed record GateEnvironment(string Environment, string PublishableKeyPrefix, string ApiOrigin);

public sealed record GateReachability(bool Reachable, TimeSpan Elapsed, string? RequestId, string? Problem);

public sealed record GateDeliveries(IReadOnlyList<GateWebhookDelivery> Items, string? RequestId, string? Problem);

/// <summary>
/// Integration health for admins: webhook processing from the portal DB, and 0Gate's reachability and
/// delivery records. Never exposes a key (only the <c>pk_test_</c>/<c>pk_live_</c> prefix), a body or a signature.
/// </summary>
public sealed class IntegrationHealth(
    IDbContextFactory<PortalDbContext> dbFactory,
    SupportAttempts support,
    GateClient gate,
    IOptions<GateOptions> options,
    TimeProvider time,
    ILogger<IntegrationHealth> logger)
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    public const int RecentRows = 10;

    public GateEnvironment Environment
    {
        get
        {
            var o = options.Value;
            var prefix = o.PublishableKey.StartsWith("pk_live_", StringComparison.Ordinal) ? "pk_live_"
                : o.PublishableKey.StartsWith("pk_test_", StringComparison.Ordinal) ? "pk_test_" : "(not set)";
            return new(o.Environment, prefix, o.ApiBaseUrl.GetLeftPart(UriPartial.Authority));
        }
    }

    public async Task<PortalWebhookHealth> GetPortalHealthAsync(CancellationToken cancellationToken)
    {
        var since = time.GetUtcNow() - Window;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);

        var outcomes = await db.ProcessedEvents.AsNoTracking()
            .Where(e => e.ReceivedAt >= since)
            .GroupBy(e => e.Outcome)
            .Select(g => new OutcomeCount(g.Key, g.Count()))
            .ToListAsync(cancellationToken);

        var lastReceived = await db.ProcessedEvents.AsNoTracking()
            .OrderByDescending(e => e.ReceivedAt)
            .Select(e => (DateTimeOffset?)e.ReceivedAt)
            .FirstOrDefaultAsync(cancellationToken);

        var fromMinute = RejectedDeliveryTally.MinuteOf(since);
        var rejectedSince = (int)await db.RejectedDeliveryTallies.Where(t => t.Minute >= fromMinute).SumAsync(t => t.Count, cancellationToken);
        var rejected = await db.RejectedDeliveries.AsNoTracking()
            .OrderByDescending(r => r.ReceivedAt)
            .Take(RecentRows)
            .Select(r => new RejectedDeliveryRow(r.ReceivedAt, r.Reason, r.BodyLength, r.TimestampSkewSeconds))
            .ToListAsync(cancellationToken);

        var quota = await db.ProcessedEvents.AsNoTracking()
            .Where(e => e.Outcome == EventOutcome.Integration && e.EventType.StartsWith("partner.quota."))
            .OrderByDescending(e => e.ReceivedAt)
            .Take(RecentRows)
            .Select(e => new QuotaEventRow(e.EventId, e.EventType, e.ReceivedAt))
            .ToListAsync(cancellationToken);

        return new(
            since,
            [.. outcomes.OrderBy(o => o.Outcome)],
            lastReceived,
            rejectedSince,
            rejected,
            quota,
            await support.CountNeedsReviewAsync(cancellationToken),
            await support.CountConfirmingTooLongAsync(cancellationToken),
            await support.CountAbandonedAsync(cancellationToken));
    }

    /// <summary>A capabilities read, timed: proves the API answers and the secret key is accepted.</summary>
    public async Task<GateReachability> CheckGateAsync(CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        try
        {
            var response = await gate.GetCapabilitiesAsync(cancellationToken);
            return new(true, time.GetElapsedTime(started), response.RequestId, null);
        }
        catch (GateApiException ex)
        {
            logger.LogWarning("0Gate health check failed: {Status} {Code} (request {RequestId})", (int?)ex.Status, ex.Code, ex.RequestId);
            var problem = ex.Status is null
                ? "0Gate could not be reached."
                : $"0Gate answered {(int)ex.Status} {ex.Code}".TrimEnd() + ".";
            return new(false, time.GetElapsedTime(started), ex.RequestId, problem);
        }
    }

    /// <summary>0Gate's own delivery records (newest first), or why they could not be read.</summary>
    public async Task<GateDeliveries> GetGateDeliveriesAsync(CancellationToken cancellationToken, int take = 20)
    {
        try
        {
            var response = await gate.GetWebhookDeliveriesAsync(cancellationToken);
            return new([.. response.Value.Take(take)], response.RequestId, null);
        }
        catch (GateApiException ex)
        {
            logger.LogWarning("Reading 0Gate webhook deliveries failed: {Status} {Code} (request {RequestId})", (int?)ex.Status, ex.Code, ex.RequestId);
            return new([], ex.RequestId, ex.IsTransient
                ? "0Gate could not be reached, so its delivery records are not available right now."
                : $"0Gate refused to list its delivery records ({ex.Code ?? "error"}).");
        }
    }
}
