namespace Portal.Core.Attempts;

/// <summary>
/// One line of an attempt's audit trail: every state change and every event seen. Entries for events
/// that match no attempt keep <see cref="AttemptId"/> null and carry the 0Gate session id instead.
/// Never holds raw payloads or secrets.
/// </summary>
public sealed class TimelineEntry
{
    private TimelineEntry()
    {
        Summary = string.Empty;
    }

    public TimelineEntry(string? attemptId, TimelineKind kind, string summary, DateTimeOffset occurredAt)
    {
        AttemptId = attemptId;
        Kind = kind;
        Summary = summary;
        OccurredAt = occurredAt;
    }

    public long Id { get; private set; }

    public string? AttemptId { get; private set; }

    public TimelineKind Kind { get; private set; }

    /// <summary>A short, support-safe description.</summary>
    public string Summary { get; private set; }

    public AttemptStatus? FromStatus { get; init; }

    public AttemptStatus? ToStatus { get; init; }

    public string? EventId { get; init; }

    public string? EventType { get; init; }

    public string? GateSessionId { get; init; }

    public string? GateRequestId { get; init; }

    public DateTimeOffset OccurredAt { get; private set; }

    public static TimelineEntry StateChange(string attemptId, AttemptStatus from, AttemptStatus to, string cause, DateTimeOffset at) =>
        new(attemptId, TimelineKind.StateChanged, $"{from.ToWire()} → {to.ToWire()} ({cause})", at)
        {
            FromStatus = from,
            ToStatus = to,
        };
}
