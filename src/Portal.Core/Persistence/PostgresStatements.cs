using Microsoft.EntityFrameworkCore;
using Portal.Core.Jobs;
using Portal.Core.Webhooks;

namespace Portal.Core.Persistence;

/// <summary>
/// PostgreSQL: many writers at once, so dedupe is the insert itself (<c>ON CONFLICT DO NOTHING</c>: a concurrent copy
/// of the same event waits for the first one's transaction, then finds the row), and a job claim is one
/// <c>UPDATE … RETURNING</c> over rows locked with <c>SKIP LOCKED</c>, outside any other transaction.
/// </summary>
internal sealed class PostgresStatements(IDbContextFactory<PortalDbContext> dbFactory) : IStoreStatements
{
    private static readonly string Placeholder = SnakeCase.From(nameof(EventOutcome.Recorded));

    public async Task<ProcessedEvent?> ClaimEventAsync(PortalDbContext db, ProcessedEvent first, CancellationToken cancellationToken)
    {
        var inserted = await db.Database.SqlQuery<string>($"""
            INSERT INTO processed_events ("EventId", "EventType", "GateSessionId", "AttemptId", "Outcome", "ReceivedAt", "SignedAt", "SecretFingerprint")
            VALUES ({first.EventId}, {first.EventType}, {first.GateSessionId}, {first.AttemptId}, {Placeholder}, {first.ReceivedAt}, {first.SignedAt}, {first.SecretFingerprint})
            ON CONFLICT ("EventId") DO NOTHING
            RETURNING "EventId" AS "Value"
            """).ToListAsync(cancellationToken);
        if (inserted.Count == 1)
        {
            // Stored as it stands; the outcome the caller sets next is saved with the rest of the work (one UPDATE in
            // the same batch).
            db.ProcessedEvents.Attach(first);
            db.Entry(first).Property(e => e.Outcome).OriginalValue = EventOutcome.Recorded;
            return null;
        }

        return await db.ProcessedEvents.AsNoTracking().SingleAsync(e => e.EventId == first.EventId, cancellationToken);
    }

    public async Task<List<BackgroundJob>> ClaimJobsAsync(string instance, DateTimeOffset now, DateTimeOffset until, int limit, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Jobs.FromSql($"""
            UPDATE background_jobs SET "LockedBy" = {instance}, "LockedUntil" = {until}
            WHERE "Id" IN (
                SELECT "Id" FROM background_jobs
                WHERE "CompletedAt" IS NULL AND "RunAfter" <= {now} AND ("LockedUntil" IS NULL OR "LockedUntil" < {now})
                ORDER BY "Id" LIMIT {limit}
                FOR UPDATE SKIP LOCKED)
            RETURNING *
            """).AsNoTracking().ToListAsync(cancellationToken);
    }
}
