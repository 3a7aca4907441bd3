namespace Portal.Core.Attempts;

/// <summary>
/// Which staff actions an attempt allows as it stands, in one place: the attempt page shows its buttons from these,
/// and each action checks again before it calls 0Gate.
/// </summary>
public static class StaffActionRules
{
    /// <summary>
    /// Reading the 0Gate session helps while the attempt is open, and as a re-check of a flagged one. Without a session
    /// there is nothing at 0Gate to read.
    /// </summary>
    public static bool CanReconcile(CheckoutAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return attempt.GateSessionId is not null && (!attempt.IsTerminal || attempt.NeedsReview);
    }

    /// <summary>Only an open attempt with a 0Gate session has something to cancel at 0Gate.</summary>
    public static bool CanCancelSession(CheckoutAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return !attempt.IsTerminal && attempt.GateSessionId is not null;
    }

    public static bool CanResolveReview(CheckoutAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return attempt.NeedsReview;
    }
}
