using Portal.Core.Attempts;
using Portal.Core.Records;

namespace Portal.Core.LiveUpdates;

/// <summary>
/// What a committed change of an attempt sets in motion, decided in one place. Inside the committing transaction:
/// a fulfilment creates its durable receipt-fetch job; a close or a verification request creates the customer's email
/// job (when the attempt has an address), one per event since it is written by the change itself. After the commit: watching pages on this instance are pushed
/// to, and the job runner is woken (other instances hear of the change through <see cref="Persistence.IChangeFeed"/>).
/// </summary>
public sealed class CommittedTransitions(AttemptStatusNotifier notifier, Jobs.JobSignal jobs)
{
    /// <summary>The jobs a change calls for, written with it (so they exist exactly when the change committed).</summary>
    public static IEnumerable<BackgroundJob> JobsFor(AttemptStatusChanged change, DateTimeOffset at, string? traceParent)
    {
        if (change.Fulfilled)
        {
            yield return new BackgroundJob(JobKinds.FetchReceipt, change.AttemptId, at, traceParent);
        }

        if (change.EmailsCustomer && change.Closed)
        {
            yield return new BackgroundJob(JobKinds.EmailClosed, change.AttemptId, at, traceParent);
        }
        else if (change.EmailsCustomer && change.VerificationRequested && !change.Status.IsTerminal())
        {
            yield return new BackgroundJob(JobKinds.EmailVerification, change.AttemptId, at, traceParent);
        }
    }

    public void Announce(IEnumerable<AttemptStatusChanged> changes, bool createdJobs)
    {
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
