namespace Portal.Core.Attempts;

/// <summary>What a guarded method did.</summary>
public enum ChangeOutcome
{
    /// <summary>The attempt changed (moved, or the note took effect).</summary>
    Moved,

    /// <summary>Nothing to do from the current state (already there, or a move the state machine does not make from here).</summary>
    Unchanged,

    /// <summary>The attempt had already closed with the same outcome.</summary>
    AlreadyClosed,

    /// <summary>The attempt had already closed with another outcome (or is bound to another session): nothing applied.</summary>
    Conflict,
}
