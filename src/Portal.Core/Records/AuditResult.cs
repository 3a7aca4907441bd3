namespace Portal.Core.Records;

/// <summary>How the action ended. Stored by snake_case name.</summary>
public enum AuditResult
{
    /// <summary>The attempt changed (state, or the review flag).</summary>
    Changed,

    /// <summary>The action ran; nothing needed to change (0Gate says the session is still open, a colleague was quicker).</summary>
    Unchanged,

    /// <summary>0Gate could not be reached or refused: nothing changed.</summary>
    Failed,

    /// <summary>A bulk run went through every attempt it took.</summary>
    Completed,

    /// <summary>A bulk run was stopped before the end.</summary>
    Stopped,

    /// <summary>0Gate accepted a request to deliver an event (a test event or a resend); nothing in the portal changed by it.</summary>
    Sent,
}
