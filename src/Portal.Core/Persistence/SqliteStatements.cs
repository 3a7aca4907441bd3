using Microsoft.EntityFrameworkCore;
using Portal.Core.Jobs;
using Portal.Core.Webhooks;

namespace Portal.Core.Persistence;

/// <summary>
/// SQLite: the one writer runs every write in turn, so a read then an insert cannot race another write, and a claim is
/// an ordinary write.
/// </summary>
internal sealed class SqliteStatements(IStoreWriter store) : IStoreStatements
{
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

    public Task<List<BackgroundJob>> ClaimJobsAsync(string instance, DateTimeOffset now, DateTimeOffset until, int limit, CancellationToken cancellationToken) =>
        store.WriteAsync(async (db, ct) =>
        {
            var due = await db.Jobs
                .Where(j => j.CompletedAt == null && j.RunAfter <= now && (j.LockedUntil == null || j.LockedUntil < now))
                .OrderBy(j => j.Id).Take(limit).ToListAsync(ct);
            foreach (var job in due)
            {
                job.Claim(instance, until);
            }

            return due;
        }, cancellationToken);
}
