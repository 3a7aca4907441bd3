using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Core.Gate;
using Portal.Core.Persistence;
using Portal.Core.Reads;
using Portal.Core.Records;
using Portal.Core.Webhooks;

namespace Portal.Core.Admin;

/// <summary>
/// Integration health for admins: webhook processing from the portal DB, and 0Gate's reachability and
/// delivery records. Never exposes a key (only the <c>pk_test_</c>/<c>pk_live_</c> prefix), a body or a signature.
/// </summary>
public sealed class IntegrationHealth(
    IDbContextFactory<PortalDbContext> dbFactory,
    SupportViews support,
    GateClient gate,
    IOptions<GateOptions> options,
    TimeProvider time,
    ILogger<IntegrationHealth> logger)
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    public const int RecentRows = 10;

    /// <summary>How far back the secrets panel looks for the last event each secret verified.</summary>
    public static readonly TimeSpan SecretLookback = TimeSpan.FromDays(30);

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

    /// <summary>
    /// The configured webhook secrets by fingerprint, when each last verified an event (within <see cref="SecretLookback"/>),
    /// and which one verified the latest event: enough to follow a rotation without ever showing a secret. Each look-up
    /// walks the <c>ReceivedAt</c> index from the newest event back to that secret's last use, no further than the lookback.
    /// </summary>
    public async Task<WebhookSecretsStatus> GetWebhookSecretsAsync(CancellationToken cancellationToken)
    {
        var since = time.GetUtcNow() - SecretLookback;
        var fingerprints = options.Value.WebhookSecrets.Select(WebhookSecretFingerprint.Of).ToList();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);

        var secrets = new List<WebhookSecretUse>();
        for (var i = 0; i < fingerprints.Count; i++)
        {
            var fingerprint = fingerprints[i];
            var last = await db.ProcessedEvents.AsNoTracking()
                .Where(e => e.ReceivedAt >= since && e.SecretFingerprint == fingerprint)
                .OrderByDescending(e => e.ReceivedAt)
                .Select(e => (DateTimeOffset?)e.ReceivedAt)
                .FirstOrDefaultAsync(cancellationToken);
            secrets.Add(new WebhookSecretUse(i, fingerprint, last));
        }

        var latest = await db.ProcessedEvents.AsNoTracking()
            .OrderByDescending(e => e.ReceivedAt)
            .Select(e => new { e.EventId, e.EventType, e.ReceivedAt, e.SecretFingerprint })
            .FirstOrDefaultAsync(cancellationToken);
        return new(
            secrets,
            latest is null ? null : new LatestVerification(latest.EventId, latest.EventType, latest.ReceivedAt, latest.SecretFingerprint,
                latest.SecretFingerprint is { } f && fingerprints.Contains(f)),
            SecretLookback);
    }

    /// <summary>
    /// The latest known quota level: 0Gate's own figures when it reports them with the partner settings (the sandbox
    /// does), else the latest <c>partner.quota.*</c> event received, else unknown. Never guessed.
    /// </summary>
    public async Task<QuotaLevel> GetQuotaAsync(CancellationToken cancellationToken)
    {
        QuotaEventRow? latestEvent;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            latestEvent = await db.ProcessedEvents.AsNoTracking()
                .Where(e => e.Outcome == EventOutcome.Integration && e.EventType.StartsWith("partner.quota."))
                .OrderByDescending(e => e.ReceivedAt)
                .Select(e => new QuotaEventRow(e.EventId, e.EventType, e.ReceivedAt))
                .FirstOrDefaultAsync(cancellationToken);
        }

        try
        {
            var reported = await gate.GetPartnerQuotaAsync(cancellationToken);
            var source = reported.Value is not null ? QuotaSource.Gate : latestEvent is not null ? QuotaSource.Events : QuotaSource.Unknown;
            return new(source, reported.Value, reported.RequestId, latestEvent?.EventType, latestEvent?.ReceivedAt, null);
        }
        catch (GateApiException ex)
        {
            logger.LogWarning("Reading the 0Gate quota failed: {Status} {Code} (request {RequestId})", (int?)ex.Status, ex.Code, ex.RequestId);
            return new(latestEvent is not null ? QuotaSource.Events : QuotaSource.Unknown, null, ex.RequestId, latestEvent?.EventType, latestEvent?.ReceivedAt,
                ex.IsTransient ? "0Gate could not be reached to read the quota." : $"0Gate refused to report the quota ({ex.Code ?? "error"}).");
        }
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
