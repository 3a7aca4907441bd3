namespace Portal.Core.Records;

/// <summary>How a verified event was handled the first (and only) time it was processed.</summary>
public enum EventOutcome
{
    /// <summary>The event moved an attempt to a new status.</summary>
    Applied,

    /// <summary>Recorded on the attempt; no status change was due (e.g. a KYC notice, same terminal state).</summary>
    Recorded,

    /// <summary>The attempt was already closed with a different outcome: recorded and flagged, not applied.</summary>
    IgnoredAfterTerminal,

    /// <summary>No attempt matches the event's 0Gate session.</summary>
    UnknownSession,

    /// <summary>An event type the portal does not handle.</summary>
    UnhandledType,

    /// <summary>A partner-level event (quota) with no attempt.</summary>
    Integration,
}
