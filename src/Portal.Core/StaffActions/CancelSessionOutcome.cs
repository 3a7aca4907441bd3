
namespace Portal.Core.StaffActions;

public enum CancelSessionOutcome
{
    /// <summary>0Gate cancelled the session; the attempt is <c>cancelled</c>.</summary>
    Cancelled,

    /// <summary>0Gate had already closed the session another way; the attempt follows what 0Gate reports.</summary>
    ClosedOtherwise,

    /// <summary>0Gate answered but the attempt did not change (e.g. the session is reported open).</summary>
    Unchanged,

    /// <summary>The attempt is closed, or has no 0Gate session: nothing to cancel.</summary>
    NotApplicable,

    ReasonRequired,

    /// <summary>0Gate could not be reached: nothing changed; try again later.</summary>
    GateUnavailable,

    NotFound,

    /// <summary>This staff member asked 0Gate for too much in the last minute: nothing was sent.</summary>
    RateLimited,
}
