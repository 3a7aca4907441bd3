namespace Portal.Core.Records;

/// <summary>What a staff member did. Stored by snake_case name.</summary>
public enum AuditAction
{
    /// <summary>Read one attempt's 0Gate session and applied what it says.</summary>
    Reconcile,

    /// <summary>Cancelled one attempt's 0Gate session at 0Gate.</summary>
    CancelSession,

    /// <summary>Cleared an attempt's review flag.</summary>
    ResolveReview,

    /// <summary>A bulk reconcile run (one entry for the run; one <see cref="Reconcile"/> entry per attempt it changed).</summary>
    BulkReconcile,

    /// <summary>Saved the allowed origins (who may embed the checkout) at 0Gate: the list before and after.</summary>
    ChangeAllowedOrigins,

    /// <summary>Asked 0Gate (the sandbox) to make up and deliver a test event.</summary>
    SendTestEvent,

    /// <summary>Asked 0Gate to deliver a past event again.</summary>
    ResendEvent,
}
