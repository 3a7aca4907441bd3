using Portal.Core.Reads;

namespace Portal.Components.Support;

/// <summary>
/// Support's attempt page as shown: the facts, timeline, receipt and staff actions as view rows (never the entities), so
/// the prerender can hand what it read to the circuit (<c>[PersistentState]</c>). Staff-only data on a staff-only page.
/// </summary>
public sealed record AttemptDetailView(
    AttemptFactsView Attempt,
    IReadOnlyList<TimelineRow> Timeline,
    IReadOnlyDictionary<string, EventVerification> Verifications,
    ReceiptView? Receipt,
    IReadOnlyList<AuditRow> Audit,
    string Environment,
    bool CanReconcile,
    bool CanResolveReview,
    bool CanCancelSession)
{
    public static AttemptDetailView From(AttemptDetail detail)
    {
        ArgumentNullException.ThrowIfNull(detail);
        return new(
            AttemptFactsView.From(detail.Attempt),
            [.. detail.Timeline.Select(TimelineRow.From)],
            detail.Verifications,
            detail.Receipt is { } receipt ? ReceiptView.From(receipt, detail.Attempt.Flow) : null,
            [.. detail.Audit.Select(AuditRow.From)],
            detail.Environment,
            detail.CanReconcile,
            detail.CanResolveReview,
            detail.CanCancelSession);
    }
}
