namespace Portal.Core.Checkout;

/// <summary>
/// The allowed transitions of a checkout attempt. Every write of a status is a conditional update
/// against <see cref="AllowedSources"/>, so concurrent writers close an attempt exactly once.
/// </summary>
public static class AttemptStateMachine
{
    private static readonly AttemptStatus[] Open =
        [AttemptStatus.PendingSession, AttemptStatus.RequiresAction, AttemptStatus.Processing];

    /// <summary>The statuses from which <paramref name="target"/> may be entered.</summary>
    public static IReadOnlyList<AttemptStatus> AllowedSources(AttemptStatus target) => target switch
    {
        AttemptStatus.PendingSession => [],
        AttemptStatus.RequiresAction => [AttemptStatus.PendingSession],
        AttemptStatus.Processing => [AttemptStatus.RequiresAction],
        // A terminal event may arrive before the browser returns (webhook first is normal).
        AttemptStatus.Fulfilled or AttemptStatus.Failed or AttemptStatus.Expired or AttemptStatus.Cancelled => Open,
        _ => throw new ArgumentOutOfRangeException(nameof(target), target, null),
    };

    public static bool CanTransition(AttemptStatus from, AttemptStatus to) => AllowedSources(to).Contains(from);
}
