namespace Portal.Core.Records;

/// <summary>
/// One outcome email, keyed by the job that sends it. Written (<see cref="EmailResult.Sending"/>) and committed
/// before the SMTP conversation starts: a job that finds its row still "sending" was interrupted mid-send (a crash, a
/// kill) and does not send again. At most once, then: an interruption at that moment may lose the email, never
/// double it.
/// </summary>
public sealed class OutcomeEmail
{
    private OutcomeEmail()
    {
        AttemptId = string.Empty;
        MessageId = string.Empty;
    }

    public OutcomeEmail(long jobId, string attemptId, EmailOccasion occasion, string messageId, DateTimeOffset startedAt)
    {
        JobId = jobId;
        AttemptId = attemptId;
        Occasion = occasion;
        MessageId = messageId;
        StartedAt = startedAt;
        Result = EmailResult.Sending;
    }

    public long JobId { get; private set; }

    public string AttemptId { get; private set; }

    public EmailOccasion Occasion { get; private set; }

    /// <summary>The <c>Message-Id</c> header, derived from the job, the same on every try.</summary>
    public string MessageId { get; private set; }

    public EmailResult Result { get; private set; }

    public DateTimeOffset StartedAt { get; private set; }

    public DateTimeOffset? FinishedAt { get; private set; }

    public int Tries { get; private set; } = 1;

    /// <summary>A retry after the server refused it: sending again.</summary>
    public void SendAgain(DateTimeOffset at)
    {
        Result = EmailResult.Sending;
        StartedAt = at;
        FinishedAt = null;
        Tries++;
    }

    public void Finish(EmailResult result, DateTimeOffset at)
    {
        Result = result;
        FinishedAt = at;
    }
}
