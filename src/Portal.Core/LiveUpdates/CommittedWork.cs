using System.Diagnostics;
using Portal.Core.Persistence;
using Portal.Core.Telemetry;

namespace Portal.Core.LiveUpdates;

/// <summary>What both writers do once a transaction committed: count it, and announce the changes in the caller's trace.</summary>
public sealed class CommittedWork(CommittedTransitions committed, PortalTelemetry telemetry) : ICommitObserver
{
    public void Report(SavedWork saved)
    {
        var writerActivity = Activity.Current;
        // Announced in the caller's trace, so what follows (a receipt fetch) links to the delivery that caused it.
        Activity.Current = saved.Cause;
        try
        {
            foreach (var attempt in saved.Opened)
            {
                telemetry.AttemptOpened(attempt.Flow);
            }

            foreach (var change in saved.Changes)
            {
                Activity.Current?.SetTag("portal.attempt.id", change.AttemptId);
            }

            foreach (var attempt in saved.Closed)
            {
                telemetry.AttemptClosed(attempt);
            }

            committed.Announce(saved.Changes, saved.CreatedJobs);
        }
        finally
        {
            Activity.Current = writerActivity;
        }
    }
}
