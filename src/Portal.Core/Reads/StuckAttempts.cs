using System.Linq.Expressions;
using Portal.Core.Attempts;

namespace Portal.Core.Reads;

/// <summary>
/// The two stuck views as store queries, from the sweeper's thresholds and the time now: confirming too long, and
/// abandoned. The search filters and the views with their counts use the same definitions.
/// </summary>
internal static class StuckAttempts
{
    /// <summary><c>processing</c> for longer than <see cref="SweeperOptions.ConfirmingTooLongAfter"/>.</summary>
    public static Expression<Func<CheckoutAttempt, bool>> ConfirmingTooLong(SweeperOptions thresholds, DateTimeOffset now)
    {
        var cutoff = now - thresholds.ConfirmingTooLongAfter;
        return a => a.Status == AttemptStatus.Processing && a.UpdatedAt < cutoff;
    }

    /// <summary>Waiting for the customer for longer than <see cref="SweeperOptions.AbandonedAfter"/>.</summary>
    public static Expression<Func<CheckoutAttempt, bool>> Abandoned(SweeperOptions thresholds, DateTimeOffset now)
    {
        var cutoff = now - thresholds.AbandonedAfter;
        return a => (a.Status == AttemptStatus.PendingSession || a.Status == AttemptStatus.RequiresAction) && a.UpdatedAt < cutoff;
    }
}
