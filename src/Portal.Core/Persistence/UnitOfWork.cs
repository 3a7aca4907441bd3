using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Attempts;

namespace Portal.Core.Persistence;

/// <summary>
/// Saves a piece of work together with what its attempts recorded: each attempt's new timeline entries (in the order it
/// produced them) and the durable jobs its change calls for (<see cref="FollowUpJobs"/>), in the same
/// <c>SaveChanges</c> (one batch) as the attempt itself. The one place that turns an aggregate's records into rows;
/// both writers call it, so neither knows anything about attempts.
/// </summary>
internal static class UnitOfWork
{
    public static async Task<SavedWork> SaveAsync(PortalDbContext db, DateTimeOffset now, Activity? cause, CancellationToken cancellationToken)
    {
        var opened = new List<CheckoutAttempt>();
        var changes = new List<AttemptStatusChanged>();
        var closed = new List<CheckoutAttempt>();
        foreach (var entry in db.ChangeTracker.Entries<CheckoutAttempt>().ToList())
        {
            var attempt = entry.Entity;
            db.Timeline.AddRange(attempt.NewTimelineEntries);
            attempt.ClearNewTimelineEntries();
            switch (entry.State)
            {
                case EntityState.Added:
                    opened.Add(attempt);
                    break;
                case EntityState.Modified:
                    var previous = entry.OriginalValues.GetValue<AttemptStatus>(nameof(CheckoutAttempt.Status));
                    changes.Add(new AttemptStatusChanged(attempt.Id, attempt.Status, previous)
                    {
                        // For the customer's emails (FollowUpJobs).
                        EmailsCustomer = attempt.CustomerEmail is not null,
                        VerificationRequested = entry.Property(nameof(CheckoutAttempt.VerificationRequiredAt)).IsModified,
                    });
                    if (attempt.IsTerminal && !previous.IsTerminal())
                    {
                        closed.Add(attempt);
                    }

                    break;
            }
        }

        var jobs = changes.SelectMany(change => FollowUpJobs.For(change, now, cause?.Id)).ToList();
        db.Jobs.AddRange(jobs);
        if (db.Database.GetDbConnection().State != System.Data.ConnectionState.Open)
        {
            throw new StoreConnectionLostException();
        }

        await db.SaveChangesAsync(cancellationToken);
        return new SavedWork(opened, changes, closed, jobs.Count > 0, cause);
    }
}
