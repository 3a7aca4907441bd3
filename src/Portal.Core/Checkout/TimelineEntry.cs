namespace Portal.Core.Checkout;

/// <summary>What a timeline entry records. Stored by wire name.</summary>
public enum TimelineKind
{
    /// <summary>The attempt moved from one status to another.</summary>
    StateChanged,

    /// <summary>A verified event was accepted and applied (or recorded where it changes no state).</summary>
    EventAccepted,

    /// <summary>A verified event whose id had been processed before: nothing changed.</summary>
    EventDuplicate,

    /// <summary>A verified event that arrived after the attempt closed: recorded, not applied.</summary>
    EventIgnoredAfterTerminal,

    /// <summary>A verified event for a 0Gate session the portal does not know.</summary>
    EventForUnknownSession,

    /// <summary>A verified event of a type the portal does not handle.</summary>
    EventUnhandledType,

    /// <summary>A call to the 0Gate API (with its request id).</summary>
    GateRequest,

    /// <summary>A note from the portal itself (reconciliation, customer actions).</summary>
    Note,
}

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
