namespace Portal.Core.Attempts;

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
