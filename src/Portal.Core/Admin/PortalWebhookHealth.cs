using Microsoft.EntityFrameworkCore;

namespace Portal.Core.Admin;

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
