namespace Portal.Core.Attempts;

/// <summary>Who or what closed an attempt. Stored by snake_case name.</summary>
public enum AttemptCloser
{
    /// <summary>A verified <c>gate_session.*</c> webhook.</summary>
    Webhook,

    /// <summary>A server-side read of the 0Gate session (reconciliation, a mount or the cancel page finding it closed).</summary>
    SessionRead,

    /// <summary>0Gate's answer to the portal's own <c>POST /v1/gate_sessions/{id}/cancel</c>.</summary>
    CancelResponse,

    /// <summary>0Gate refused to create the session (quota, a switched-off path, invalid request).</summary>
    Refusal,

    /// <summary>The customer cancelled before any 0Gate session existed.</summary>
    Customer,

    /// <summary>The stuck-attempt sweeper's read of the 0Gate session.</summary>
    Sweeper,
}
