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

/// <summary>One configured webhook secret, by fingerprint only: its place in <c>Gate:WebhookSecrets</c> and when it last verified an event.</summary>
public sealed record WebhookSecretUse(int Position, string Fingerprint, DateTimeOffset? LastVerifiedAt)
{
    /// <summary>The first secret is the current one; the others are accepted while a rotation is under way.</summary>
    public bool Current => Position == 0;
}

/// <summary>The most recent verified event and the fingerprint of the secret that verified it (null for events stored before fingerprints were kept).</summary>
public sealed record LatestVerification(string EventId, string EventType, DateTimeOffset ReceivedAt, string? Fingerprint, bool Configured);

public sealed record WebhookSecretsStatus(IReadOnlyList<WebhookSecretUse> Secrets, LatestVerification? Latest, TimeSpan Lookback);

/// <summary>Where the quota figure comes from.</summary>
public enum QuotaSource
{
    /// <summary>Neither 0Gate nor any quota event says anything.</summary>
    Unknown,

    /// <summary>0Gate reported the limit and usage just now.</summary>
    Gate,

    /// <summary>Only the latest <c>partner.quota.*</c> event is known (0Gate did not report usage).</summary>
    Events,
}

/// <summary>The latest known quota level, and how it is known.</summary>
public sealed record QuotaLevel(
    QuotaSource Source,
    GateQuota? Reported,
    string? RequestId,
    string? LatestEventType,
    DateTimeOffset? LatestEventAt,
    string? Problem)
{
    public bool Unlimited => Reported is { Limit: <= 0 };

    /// <summary>Used share of the limit, 0–100, when 0Gate reported a limit.</summary>
    public double? PercentUsed => Reported is { Limit: > 0 } q ? Math.Clamp(q.Used * 100.0 / q.Limit, 0, 100) : null;
}

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
