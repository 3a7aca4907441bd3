using Portal.Core.Attempts;

namespace Portal.Components.Support;

/// <summary>One line of an attempt's timeline as support reads it.</summary>
public sealed record TimelineRow(
    DateTimeOffset OccurredAt,
    TimelineKind Kind,
    string Summary,
    AttemptStatus? FromStatus,
    AttemptStatus? ToStatus,
    string? EventId,
    string? EventType,
    string? GateRequestId)
{
    public static TimelineRow From(TimelineEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new(entry.OccurredAt, entry.Kind, entry.Summary, entry.FromStatus, entry.ToStatus, entry.EventId, entry.EventType, entry.GateRequestId);
    }
}
