using Microsoft.EntityFrameworkCore;
using Portal.Core.Records;

namespace Portal.Core.Persistence;

/// <summary>
/// SQLite: the one writer runs every write in turn, so a read then an insert cannot race another write. And SQLite
/// serves one instance, so a job's lease needs no write of its own: it is held in this process (a crash loses it
/// together with the process that held it), and a claim is a read, not a transaction and an fsync per claim.
/// </summary>
internal sealed class SqliteStatements(IDbContextFactory<PortalDbContext> dbFactory) : IStoreStatements
{
    /// <summary>Jobs this process runs now, and until when (a recorded outcome ends the lease: <see cref="ReleaseJob"/>).</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, DateTimeOffset> _leases = new();

    private static readonly CompiledQuery<Func<PortalDbContext, string, CancellationToken, Task<ProcessedEvent?>>> ProcessedEventById = new(() =>
        EF.CompileAsyncQuery((PortalDbContext db, string eventId, CancellationToken ct) => db.ProcessedEvents.AsNoTracking().FirstOrDefault(e => e.EventId == eventId)));

    public async Task<ProcessedEvent?> ClaimEventAsync(PortalDbContext db, ProcessedEvent first, CancellationToken cancellationToken)
    {
        if (await ProcessedEventById.For(db)(db, first.EventId, cancellationToken) is { } earlier)
        {
            return earlier;
        }

        db.ProcessedEvents.Add(first);
        return null;
    }

    public async Task<List<BackgroundJob>> ClaimJobsAsync(string instance, DateTimeOffset now, DateTimeOffset until, int limit, CancellationToken cancellationToken)
    {
        foreach (var (id, leasedUntil) in _leases)
        {
            if (leasedUntil <= now)
            {
                _leases.TryRemove(id, out _);
            }
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var due = await db.Jobs.AsNoTracking()
            .Where(j => j.CompletedAt == null && j.RunAfter <= now && (j.LockedUntil == null || j.LockedUntil < now))
            .OrderBy(j => j.Id).Take(limit + _leases.Count).ToListAsync(cancellationToken);
        var claimed = new List<BackgroundJob>(limit);
        foreach (var job in due)
        {
            if (claimed.Count < limit && _leases.TryAdd(job.Id, until))
            {
                job.Claim(instance, until);
                claimed.Add(job);
            }
        }

        return claimed;
    }

    public void ReleaseJob(BackgroundJob job) => _leases.TryRemove(job.Id, out _);
}
