using Portal.Core.Records;

namespace Portal.Core.Attempts;

/// <summary>
/// The durable jobs a committed change of an attempt calls for, decided in one place and written in the same
/// transaction as the change (so they exist exactly when it committed): a fulfilment fetches its receipt; a close or a
/// verification request emails the customer (when the attempt has an address), one per event since the change itself
/// writes it.
/// </summary>
public static class FollowUpJobs
{
    public static IEnumerable<BackgroundJob> For(AttemptStatusChanged change, DateTimeOffset at, string? traceParent)
    {
        ArgumentNullException.ThrowIfNull(change);
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
}
