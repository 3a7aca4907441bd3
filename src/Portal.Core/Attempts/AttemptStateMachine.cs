namespace Portal.Core.Attempts;

/// <summary>
/// Every move a checkout attempt may make, in one table (docs/architecture.md#checkout-attempt-state-machine):
/// <c>pending_session → requires_action → processing → fulfilled | failed | expired | cancelled</c>, and a terminal
/// outcome from any open state (a webhook before the browser returns is normal). Terminal states never change.
/// <see cref="CheckoutAttempt"/> consults this table; the store enforces it with <c>Status</c> as a concurrency token.
/// </summary>
public static class AttemptStateMachine
{
    private static readonly AttemptStatus[] Open =
        [AttemptStatus.PendingSession, AttemptStatus.RequiresAction, AttemptStatus.Processing];

    /// <summary>The statuses from which <paramref name="target"/> may be entered.</summary>
    public static IReadOnlyList<AttemptStatus> AllowedSources(AttemptStatus target) => target switch
    {
        AttemptStatus.PendingSession => [],
        // The 0Gate session is attached.
        AttemptStatus.RequiresAction => [AttemptStatus.PendingSession],
        // The customer came back from the hosted flow.
        AttemptStatus.Processing => [AttemptStatus.RequiresAction],
        // A verified webhook or a server-side read of the session closed it.
        AttemptStatus.Fulfilled or AttemptStatus.Failed or AttemptStatus.Expired or AttemptStatus.Cancelled => Open,
        _ => throw new ArgumentOutOfRangeException(nameof(target), target, null),
    };

    public static bool CanTransition(AttemptStatus from, AttemptStatus to) => AllowedSources(to).Contains(from);

    public static IReadOnlyList<AttemptStatus> OpenStatuses => Open;
}
