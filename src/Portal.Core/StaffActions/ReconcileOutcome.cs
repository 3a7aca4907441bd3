
namespace Portal.Core.StaffActions;

public enum ReconcileOutcome
{
    /// <summary>0Gate's session state moved the attempt (e.g. processing → fulfilled).</summary>
    Moved,

    /// <summary>0Gate was read; the attempt already matches it, or the session is still open.</summary>
    Unchanged,

    /// <summary>No 0Gate session, or a closed attempt with no review flag: nothing to read.</summary>
    NotApplicable,

    /// <summary>0Gate could not be reached (or answered 5xx/429): nothing changed; try again later.</summary>
    GateUnavailable,

    /// <summary>0Gate answered with a client error (e.g. the session is unknown to it).</summary>
    GateRefused,

    NotFound,

    /// <summary>This staff member asked for many reconciles in the last minute: nothing was read.</summary>
    RateLimited,
}
