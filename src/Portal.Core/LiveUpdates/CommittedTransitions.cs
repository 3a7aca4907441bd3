using Portal.Core.Attempts;
using Portal.Core.Jobs;

namespace Portal.Core.LiveUpdates;

/// <summary>
/// What a committed change of an attempt sets in motion on this instance, after the commit: watching pages are pushed
/// to, and the job runner is woken (the jobs themselves were written with the change, <see cref="FollowUpJobs"/>).
/// Other instances hear of the change through <see cref="PostgresChangeListener"/>.
/// </summary>
public sealed class CommittedTransitions(AttemptStatusNotifier notifier, JobSignal jobs)
{
    public void Announce(IEnumerable<AttemptStatusChanged> changes, bool createdJobs)
    {
        ArgumentNullException.ThrowIfNull(changes);
        foreach (var change in changes)
        {
            notifier.Publish(change);
        }

        if (createdJobs)
        {
            jobs.Wake();
        }
    }
}
