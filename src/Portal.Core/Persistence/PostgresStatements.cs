using Microsoft.EntityFrameworkCore;
using Portal.Core.Records;

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
        // One statement either way: the insert, or (its id was processed before) what the earlier delivery stored,
        // so a duplicate costs no second read.
        var rows = await db.Database.SqlQuery<ClaimedEvent>($"""
            WITH inserted AS (
                INSERT INTO processed_events ("EventId", "EventType", "GateSessionId", "AttemptId", "Outcome", "ReceivedAt", "SignedAt", "SecretFingerprint")
                VALUES ({first.EventId}, {first.EventType}, {first.GateSessionId}, {first.AttemptId}, {Placeholder}, {first.ReceivedAt}, {first.SignedAt}, {first.SecretFingerprint})
                ON CONFLICT ("EventId") DO NOTHING
                RETURNING "EventId")
            SELECT TRUE AS "Inserted", NULL::text AS "AttemptId", NULL::text AS "GateSessionId", NULL::text AS "Outcome" FROM inserted
            UNION ALL
            SELECT FALSE, "AttemptId", "GateSessionId", "Outcome" FROM processed_events
            WHERE "EventId" = {first.EventId} AND NOT EXISTS (SELECT 1 FROM inserted)
            """).ToListAsync(cancellationToken);
        switch (rows)
        {
            case [{ Inserted: true }]:
                // Stored as it stands; the outcome the caller sets next is saved with the rest of the work (one
                // UPDATE in the same batch).
                db.ProcessedEvents.Attach(first);
                db.Entry(first).Property(e => e.Outcome).OriginalValue = EventOutcome.Recorded;
                return null;
            case [var earlier]:
                return new ProcessedEvent(first.EventId, first.EventType, first.ReceivedAt, first.SignedAt)
                {
                    AttemptId = earlier.AttemptId,
                    GateSessionId = earlier.GateSessionId,
                    Outcome = Enum.Parse<EventOutcome>(earlier.Outcome!.Replace("_", string.Empty, StringComparison.Ordinal), ignoreCase: true),
                };
            default:
                // The copy that inserted it committed after this statement's snapshot was taken (the insert waited
                // for it): read it now that it is visible.
                return await db.ProcessedEvents.AsNoTracking().SingleAsync(e => e.EventId == first.EventId, cancellationToken);
        }
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

    /// <summary>The lease is the row's own <c>LockedUntil</c>, which recording the outcome cleared.</summary>
    public void ReleaseJob(BackgroundJob job)
    {
    }

    /// <summary>What the dedupe statement answers: this delivery inserted the row, or the earlier one's values.</summary>
    private sealed class ClaimedEvent
    {
        public bool Inserted { get; set; }

        public string? AttemptId { get; set; }

        public string? GateSessionId { get; set; }

        public string? Outcome { get; set; }
    }
}
