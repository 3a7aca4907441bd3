using Portal.Core.Records;

namespace Portal.Core.Persistence;

/// <summary>
/// The few statements whose best form differs per store, behind one contract (chosen with the writer by
/// <c>Store:Provider</c>): <see cref="SqliteStatements"/> and <see cref="PostgresStatements"/>.
/// </summary>
public interface IStoreStatements
{
    /// <summary>
    /// Inside a write: stores the dedupe row of a verified event unless its id was processed before. Returns null when
    /// this is the event's first delivery (the row is then tracked by <paramref name="db"/>, so what the caller sets on
    /// it, such as the outcome, is saved with the work), or the row stored by the earlier delivery.
    /// </summary>
    Task<ProcessedEvent?> ClaimEventAsync(PortalDbContext db, ProcessedEvent first, CancellationToken cancellationToken);

    /// <summary>
    /// Claims up to <paramref name="limit"/> due jobs for <paramref name="instance"/> until <paramref name="until"/>
    /// (a lease: a crashed instance's jobs are due again once it ends). Jobs another instance holds are skipped, not
    /// waited for. The claimed jobs are returned detached, as claimed.
    /// </summary>
    Task<List<BackgroundJob>> ClaimJobsAsync(string instance, DateTimeOffset now, DateTimeOffset until, int limit, CancellationToken cancellationToken);

    /// <summary>The outcome of a claimed job is recorded (done, or due again later): its lease ends.</summary>
    void ReleaseJob(BackgroundJob job);
}
