namespace Portal.Core.Records;

/// <summary>
/// Work after a commit that must run once and survive a crash: written in the same transaction as the change that
/// calls for it (a fulfilment inserts its receipt fetch), then claimed by one instance at a time
/// (<c>FOR UPDATE SKIP LOCKED</c> on PostgreSQL) and retried with back-off until it succeeds or gives up.
/// </summary>
public sealed class BackgroundJob
{
    private BackgroundJob()
    {
        Kind = string.Empty;
    }

    public BackgroundJob(string kind, string? attemptId, DateTimeOffset createdAt, string? traceParent)
    {
        Kind = kind;
        AttemptId = attemptId;
        CreatedAt = createdAt;
        RunAfter = createdAt;
        TraceParent = traceParent;
    }

    public long Id { get; private set; }

    /// <summary>What to do, e.g. <see cref="JobKinds.FetchReceipt"/>.</summary>
    public string Kind { get; private set; }

    public string? AttemptId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>Not before this moment (the next try after a failure).</summary>
    public DateTimeOffset RunAfter { get; private set; }

    /// <summary>An instance claimed it until this moment; after that (a crash) anyone may take it again.</summary>
    public DateTimeOffset? LockedUntil { get; private set; }

    public string? LockedBy { get; private set; }

    public int Tries { get; private set; }

    public string? LastError { get; private set; }

    public DateTimeOffset? CompletedAt { get; private set; }

    /// <summary>Gave up after <see cref="JobRunner.MaxTries"/>: visible to operators, never retried on its own.</summary>
    public bool GaveUp { get; private set; }

    /// <summary>The W3C traceparent of the change that created it, so its trace links back.</summary>
    public string? TraceParent { get; private set; }

    /// <summary>A detached copy, so a retried write starts again from the job as claimed.</summary>
    public BackgroundJob Copy() => (BackgroundJob)MemberwiseClone();

    public void Claim(string instance, DateTimeOffset until)
    {
        LockedBy = instance;
        LockedUntil = until;
    }

    public void Succeed(DateTimeOffset at)
    {
        CompletedAt = at;
        LockedUntil = null;
        LastError = null;
    }

    public void Fail(string error, DateTimeOffset at, TimeSpan retryAfter, int maxTries)
    {
        Tries++;
        LastError = error.Length <= 500 ? error : error[..500];
        LockedUntil = null;
        RunAfter = at + retryAfter;
        if (Tries >= maxTries)
        {
            GaveUp = true;
            CompletedAt = at;
        }
    }
}
