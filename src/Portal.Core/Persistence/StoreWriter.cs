using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Checkout;
using Portal.Core.Telemetry;

namespace Portal.Core.Persistence;

/// <summary>
/// The one way the portal writes to its store. A piece of work reads and changes entities on the context it is
/// given; the writer saves it in one transaction, with the timeline entries the attempts produced, and announces
/// the attempts whose state changed only after the commit. When another writer got there first (the attempt's
/// concurrency token no longer matches, or a unique row such as an event id already exists), the work runs again
/// on fresh state, where it finds the attempt already changed: a lost race is an ordinary answer, never an error.
/// </summary>
public sealed class StoreWriter(
    IDbContextFactory<PortalDbContext> dbFactory,
    CommittedTransitions committed,
    PortalTelemetry telemetry,
    ILogger<StoreWriter> logger)
{
    /// <summary>Each conflict means someone else made progress, so a few runs always settle.</summary>
    private const int MaxRuns = 4;

    /// <param name="lockWait">How long this write may wait for the store's write lock (default: the connection's).</param>
    public async Task<T> WriteAsync<T>(Func<PortalDbContext, CancellationToken, Task<T>> work, CancellationToken cancellationToken, TimeSpan? lockWait = null)
    {
        ArgumentNullException.ThrowIfNull(work);
        for (var run = 1; ; run++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            if (lockWait is { } wait)
            {
                StoreLocks.LimitWait(db, wait);
            }

            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            T result;
            IReadOnlyList<AttemptStatusChanged> changes;
            List<CheckoutAttempt> opened;
            try
            {
                result = await work(db, cancellationToken);
                opened = [.. db.ChangeTracker.Entries<CheckoutAttempt>().Where(e => e.State == EntityState.Added).Select(e => e.Entity)];
                changes = StageAttemptChanges(db);
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
            catch (DbUpdateException ex) when (run < MaxRuns && StoreErrors.IsWriteConflict(ex))
            {
                logger.LogDebug("Write conflict on run {Run}; running the work again on fresh state", run);
                continue;
            }

            Observe(opened, changes, db);
            committed.Announce(changes);
            return result;
        }
    }

    /// <summary>Metrics for attempts opened and closed by this commit; the current trace learns which attempts it touched.</summary>
    private void Observe(List<CheckoutAttempt> opened, IReadOnlyList<AttemptStatusChanged> changes, PortalDbContext db)
    {
        foreach (var attempt in opened)
        {
            telemetry.AttemptOpened(attempt.Flow);
        }

        foreach (var change in changes)
        {
            Activity.Current?.SetTag("portal.attempt.id", change.AttemptId);
            if (change.Status.IsTerminal() && !change.Previous.IsTerminal()
                && db.ChangeTracker.Entries<CheckoutAttempt>().FirstOrDefault(e => e.Entity.Id == change.AttemptId)?.Entity is { } closed)
            {
                telemetry.AttemptClosed(closed);
            }
        }
    }

    /// <summary>
    /// Adds the timeline entries each tracked attempt produced (in the order it produced them) and lists the
    /// attempts whose stored state this save changes.
    /// </summary>
    private static List<AttemptStatusChanged> StageAttemptChanges(PortalDbContext db)
    {
        var changes = new List<AttemptStatusChanged>();
        foreach (var entry in db.ChangeTracker.Entries<CheckoutAttempt>().ToList())
        {
            var attempt = entry.Entity;
            db.Timeline.AddRange(attempt.NewTimelineEntries);
            attempt.ClearNewTimelineEntries();
            if (entry.State == EntityState.Modified)
            {
                changes.Add(new AttemptStatusChanged(attempt.Id, attempt.Status, entry.OriginalValues.GetValue<AttemptStatus>(nameof(CheckoutAttempt.Status))));
            }
        }

        return changes;
    }
}
