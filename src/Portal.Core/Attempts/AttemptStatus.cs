namespace Portal.Core.Attempts;

/// <summary>
/// <c>pending_session → requires_action → processing → fulfilled | failed | expired | cancelled</c>.
/// </summary>
public enum AttemptStatus
{
    PendingSession,
    RequiresAction,
    Processing,
    Fulfilled,
    Failed,
    Expired,
    Cancelled,
}
