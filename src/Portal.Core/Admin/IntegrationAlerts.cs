using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Core.Attempts;
using Portal.Core.Persistence;
using Portal.Core.Records;

namespace Portal.Core.Admin;

/// <summary>
/// The conditions an operator must not miss, read from the store (indexed ranges, aggregates in SQL):
/// signatures suddenly failing (a secret rotated at 0Gate but not here, or someone probing the endpoint), and 0Gate's
/// deliveries no longer arriving while attempts wait on them (webhook URL, network or 0Gate trouble); and, from this
/// instance's writers, the store refusing writes (a full disk, an I/O error, the database unreachable).
/// </summary>
public sealed class IntegrationAlerts(IDbContextFactory<PortalDbContext> dbFactory, IOptions<IntegrationAlertOptions> options, TimeProvider time, StoreWriteHealth writes)
{
    /// <summary>The tally reason of a signed body that is not an event: a sender's bug, not a signature problem.</summary>
    private const string MalformedBody = "malformed_body";

    private static readonly AttemptStatus[] WaitingOnGate = [AttemptStatus.RequiresAction, AttemptStatus.Processing];

    public Task<IReadOnlyList<IntegrationAlert>> EvaluateAsync(CancellationToken cancellationToken) => EvaluateAsync(null, cancellationToken);

    /// <param name="portal">Figures the caller has already read (the admin page): the last delivery is taken from them, not read again.</param>
    public async Task<IReadOnlyList<IntegrationAlert>> EvaluateAsync(PortalWebhookHealth? portal, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var alerts = new List<IntegrationAlert>();
        if (writes.CurrentFailure is { } failing)
        {
            alerts.Add(new IntegrationAlert(
                IntegrationAlertKind.StoreWritesFailing,
                "The store is refusing writes",
                string.Create(CultureInfo.InvariantCulture, $"Since {failing.Since:HH:mm:ss} UTC {failing.Failures} write(s) failed; the store says: {failing.Reason} ") +
                "Webhook deliveries are answered 503 and 0Gate retries them; nothing is lost. Free disk space (or fix the database server); the portal recovers by itself."));
        }


        var recentFrom = RejectedDeliveryTally.MinuteOf(now - o.RejectedSpikeWindow);
        var baselineFrom = RejectedDeliveryTally.MinuteOf(now - o.RejectedSpikeWindow - o.RejectedSpikeBaseline);
        var recent = await SignatureRejectionsAsync(db, recentFrom, null, cancellationToken);
        var baseline = await SignatureRejectionsAsync(db, baselineFrom, recentFrom, cancellationToken);
        var usual = baseline * (o.RejectedSpikeWindow / o.RejectedSpikeBaseline);
        if (recent >= o.RejectedSpikeMinimum && recent >= o.RejectedSpikeFactor * usual)
        {
            alerts.Add(new IntegrationAlert(
                IntegrationAlertKind.RejectedSignaturesSpike,
                "Rejected signatures are spiking",
                string.Create(CultureInfo.InvariantCulture,
                    $"{recent} deliveries failed the signature check in the last {Span(o.RejectedSpikeWindow)}; usually about {usual:0.#} in that time. ") +
                "If 0Gate rotated the webhook secret, add the new one to Gate:WebhookSecrets; otherwise someone may be probing the endpoint. See the rejected deliveries below."));
        }

        var lastDelivery = portal is not null
            ? portal.LastEventReceivedAt
            : await db.ProcessedEvents.AsNoTracking()
                .OrderByDescending(e => e.ReceivedAt)
                .Select(e => (DateTimeOffset?)e.ReceivedAt)
                .FirstOrDefaultAsync(cancellationToken);
        var quietSince = now - o.DeliveriesStoppedAfter;
        if (lastDelivery is null || lastDelivery < quietSince)
        {
            // Attempts that moved after the last delivery and long enough ago that 0Gate should have said something since.
            var after = lastDelivery is { } last && last > now - o.DeliveriesStoppedLookback ? last : now - o.DeliveriesStoppedLookback;
            var waiting = await db.Attempts.AsNoTracking()
                .CountAsync(a => WaitingOnGate.Contains(a.Status) && a.UpdatedAt > after && a.UpdatedAt <= quietSince, cancellationToken);
            if (waiting > 0)
            {
                var silence = lastDelivery is { } at ? $"No verified webhook for {Span(now - at)}" : "No verified webhook has ever arrived";
                alerts.Add(new IntegrationAlert(
                    IntegrationAlertKind.DeliveriesStopped,
                    "Webhook deliveries have stopped",
                    string.Create(CultureInfo.InvariantCulture, $"{silence}, while {waiting} attempt(s) wait on 0Gate. ") +
                    "Check 0Gate's delivery records below, the webhook URL at 0Gate, and that this portal is reachable from 0Gate."));
            }
        }

        return alerts;
    }

    /// <summary>
    /// The alerts read from what the admin page already has: 0Gate's answer to the check, the quota level (0Gate's own
    /// figures or the latest quota event) and the "confirming too long" count. No call of its own.
    /// </summary>
    /// <param name="refusedOrigin">The portal's own origin, when checkout starts were refused lately because 0Gate's allowed domains lack it.</param>
    public static IReadOnlyList<IntegrationAlert> FromReadings(
        GateReachability? reachability, QuotaLevel? quota, int confirmingTooLong, TimeSpan confirmingAfter, string? refusedOrigin = null)
    {
        var alerts = new List<IntegrationAlert>();
        if (refusedOrigin is not null)
        {
            alerts.Add(new(IntegrationAlertKind.OwnOriginNotAllowed, "Customers cannot start a checkout",
                $"This portal's own origin {refusedOrigin} is not among 0Gate's allowed domains, so the hosted checkout would refuse to show " +
                "inside it: starts are refused before any session is created. Add the origin on Allowed domains.")
            {
                ActionHref = "/admin/allowed-domains",
                ActionText = "Open Allowed domains",
            });
        }

        if (reachability is { Reachable: false } down)
        {
            var reference = down.RequestId is null ? string.Empty : $" (0Gate request {down.RequestId})";
            alerts.Add(new(IntegrationAlertKind.GateUnreachable, "0Gate cannot be reached",
                $"{down.Problem ?? "The check failed"}{reference}. New checkouts, reconciles and receipts wait until it answers; webhooks already received are kept. " +
                "Check 0Gate's status and this server's outbound network to the API origin, then press Check again."));
        }

        if (quota?.Reported is { Limit: > 0 } reported && reported.Used >= reported.Limit
            || quota is { Reported: null, LatestEventType: "partner.quota.exhausted" })
        {
            alerts.Add(new(IntegrationAlertKind.QuotaExhausted, "0Gate session quota is used up",
                $"{QuotaFigures(quota)}0Gate refuses new checkout sessions, so customers cannot start a checkout. Ask 0Gate to raise the limit; open checkouts are not affected."));
        }
        else if (quota?.Reported is { Limit: > 0, WarningAt: > 0 } near && near.Used >= near.WarningAt
            || quota is { Reported: null, LatestEventType: "partner.quota.warning" })
        {
            alerts.Add(new(IntegrationAlertKind.QuotaWarning, "0Gate session quota is nearly used up",
                $"{QuotaFigures(quota)}When it runs out, 0Gate refuses new checkout sessions. Ask 0Gate to raise the limit before then.", Urgent: false));
        }

        if (confirmingTooLong > 0)
        {
            alerts.Add(new(IntegrationAlertKind.ConfirmingTooLong, "Attempts are confirming too long",
                string.Create(CultureInfo.InvariantCulture, $"{confirmingTooLong} attempt(s) have been processing for more than {Span(confirmingAfter)}: the customer finished and 0Gate owes a confirmation. ") +
                "Reconcile them (one by one or in bulk); if 0Gate still says processing, ask 0Gate about those sessions.", Urgent: false)
            {
                ActionHref = "/support/attempts?view=confirming_too_long",
                ActionText = "Open the Confirming too long view",
            });
        }

        return alerts;
    }

    private static string QuotaFigures(QuotaLevel quota) => quota.Reported is { Limit: > 0 } q
        ? string.Create(CultureInfo.InvariantCulture, $"{q.Used} of {q.Limit} sessions used. ")
        : quota.LatestEventAt is { } at
            ? string.Create(CultureInfo.InvariantCulture, $"0Gate sent {quota.LatestEventType} at {at.UtcDateTime:yyyy-MM-dd HH:mm} UTC. ")
            : string.Empty;

    private static async Task<long> SignatureRejectionsAsync(PortalDbContext db, DateTimeOffset from, DateTimeOffset? before, CancellationToken ct)
    {
        var tallies = db.RejectedDeliveryTallies.AsNoTracking().Where(t => t.Minute >= from && t.Reason != MalformedBody);
        if (before is { } end)
        {
            tallies = tallies.Where(t => t.Minute < end);
        }

        return await tallies.SumAsync(t => t.Count, ct);
    }

    private static string Span(TimeSpan span) => span.TotalMinutes < 120
        ? string.Create(CultureInfo.InvariantCulture, $"{Math.Max(1, (int)span.TotalMinutes)} min")
        : span.TotalHours < 48
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours} h")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalDays} days");
}
