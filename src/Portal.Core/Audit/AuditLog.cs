using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Persistence;
using Portal.Core.Records;

namespace Portal.Core.Audit;

/// <summary>
/// The staff audit log: reads for the admin page, the attempt page and the CSV export, and the one write that has no
/// attempt change to ride with (a bulk run's own entry). Entries for attempt actions are written by
/// <see cref="Checkout.AttemptWriter"/> in the same transaction as the change. Newest first everywhere.
/// </summary>
public sealed class AuditLog(IDbContextFactory<PortalDbContext> dbFactory, IStoreWriter store)
{
    public const int MaxPageSize = 200;

    /// <summary>Appends an entry on its own (through the one store writer).</summary>
    public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return store.WriteAsync((db, _) =>
        {
            db.AuditEntries.Add(entry);
            return Task.FromResult(true);
        }, cancellationToken);
    }

    public async Task<AuditPage> QueryAsync(AuditFilter filter, int page, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        page = Math.Max(page, 0);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = Filtered(db, filter);
        var total = await query.CountAsync(cancellationToken);
        var entries = await query.OrderByDescending(e => e.Id).Skip(page * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return new(entries, total);
    }

    /// <summary>Every matching entry, newest first, read as the caller consumes them (one context for the stream).</summary>
    public async IAsyncEnumerable<AuditEntry> StreamAsync(AuditFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await foreach (var entry in Filtered(db, filter).OrderByDescending(e => e.Id).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            yield return entry;
        }
    }

    public async Task<IReadOnlyList<AuditEntry>> ForAttemptAsync(string attemptId, CancellationToken cancellationToken, int take = 100)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.AuditEntries.AsNoTracking().Where(e => e.AttemptId == attemptId).OrderByDescending(e => e.Id).Take(take).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// A bulk run's entries, oldest first: one per attempt it changed (with from → to and 0Gate's request id), and the
    /// run's own entry once it has ended. Support reads these for the runs they look at.
    /// </summary>
    public async Task<IReadOnlyList<AuditEntry>> ForRunAsync(string runId, CancellationToken cancellationToken, int take = MaxRunEntries)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.AuditEntries.AsNoTracking().Where(e => e.RunId == runId).OrderBy(e => e.Id).Take(take).ToListAsync(cancellationToken);
    }

    /// <summary>More than a run can change (its bound is 10,000 attempts), plus its own entry.</summary>
    public const int MaxRunEntries = 10_001;

    public async Task<IReadOnlyList<AuditActor>> ActorsAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var latest = await db.AuditEntries.AsNoTracking()
            .GroupBy(e => e.ActorSubject)
            .Select(g => g.Max(e => e.Id))
            .ToListAsync(cancellationToken);
        return await db.AuditEntries.AsNoTracking()
            .Where(e => latest.Contains(e.Id))
            .OrderBy(e => e.ActorName)
            .Select(e => new AuditActor(e.ActorSubject, e.ActorName))
            .ToListAsync(cancellationToken);
    }

    private static IQueryable<AuditEntry> Filtered(PortalDbContext db, AuditFilter filter)
    {
        var query = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrEmpty(filter.ActorSubject))
        {
            query = query.Where(e => e.ActorSubject == filter.ActorSubject);
        }

        if (filter.Action is { } action)
        {
            query = query.Where(e => e.Action == action);
        }

        if (filter.From is { } from)
        {
            query = query.Where(e => e.OccurredAt >= from);
        }

        if (filter.To is { } to)
        {
            query = query.Where(e => e.OccurredAt < to);
        }

        if (!string.IsNullOrEmpty(filter.AttemptId))
        {
            query = query.Where(e => e.AttemptId == filter.AttemptId);
        }

        if (!string.IsNullOrEmpty(filter.RunId))
        {
            query = query.Where(e => e.RunId == filter.RunId);
        }

        return query;
    }
}
