using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Core.Attempts;
using Portal.Core.Gate;
using Portal.Core.Persistence;

namespace Portal.Core.Checkout;

/// <summary>
/// Nothing stays stuck: attempts <c>processing</c> for longer than <see cref="SweeperOptions.ConfirmingTooLongAfter"/>
/// and attempts whose 0Gate session has reached its expiry are read from 0Gate and closed as 0Gate says (through
/// <see cref="AttemptWriter"/>, closer <see cref="AttemptCloser.Sweeper"/>); an attempt whose session was never created
/// expires after <see cref="SweeperOptions.UnopenedAfter"/>. Each read leaves a timeline entry; while 0Gate keeps a
/// session open the next read backs off. Runs where <see cref="ISweepLease"/> says this instance leads.
/// </summary>
public sealed class StuckAttemptSweeper(
    IDbContextFactory<PortalDbContext> dbFactory,
    AttemptWriter writer,
    GateClient gate,
    StoreMaintenance maintenance,
    ISweepLease lease,
    IOptions<SweeperOptions> options,
    TimeProvider time,
    ILogger<StuckAttemptSweeper> logger) : BackgroundService
{
    private static readonly TimeSpan MaintenanceEvery = TimeSpan.FromHours(1);

    public async Task<SweepSummary> SweepOnceAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        var confirmingSince = now - o.ConfirmingTooLongAfter;
        var unchangedSince = now - o.AssumedSessionLifetime;
        var unopenedSince = now - o.UnopenedAfter;

        List<CheckoutAttempt> due;
        List<string> unopened;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var open = db.Attempts.AsNoTracking().Where(a => AttemptStateMachine.OpenStatuses.Contains(a.Status));
            due = await open
                .Where(a => a.GateSessionId != null)
                .Where(a => a.NextSweepAt != null
                    ? a.NextSweepAt <= now
                    : (a.Status == AttemptStatus.Processing && a.UpdatedAt <= confirmingSince)
                      || (a.SessionExpiresAt != null ? a.SessionExpiresAt <= now : a.UpdatedAt <= unchangedSince))
                .OrderBy(a => a.UpdatedAt)
                .Take(o.BatchSize)
                .ToListAsync(cancellationToken);
            unopened = await open
                .Where(a => a.GateSessionId == null && a.CreatedAt <= unopenedSince)
                .OrderBy(a => a.CreatedAt)
                .Select(a => a.Id)
                .Take(o.BatchSize)
                .ToListAsync(cancellationToken);
        }

        int closed = 0, stillOpen = 0, unreachable = 0, expired = 0;
        foreach (var attemptId in unopened)
        {
            var update = await writer.UpdateAsync(attemptId, (attempt, at) => attempt.Close(AttemptStatus.Expired,
                new CloseCause(AttemptCloser.Sweeper, $"stuck-attempt sweeper: no 0Gate session was created within {Describe(o.UnopenedAfter)}"), at), cancellationToken);
            expired += update.Outcome == ChangeOutcome.Moved ? 1 : 0;
        }

        foreach (var attempt in due)
        {
            var why = attempt.Status == AttemptStatus.Processing && attempt.UpdatedAt <= confirmingSince
                ? $"confirming for {Describe(now - attempt.UpdatedAt)}"
                : "its 0Gate session reached its expiry";
            // The longer it has been stuck, the longer until the next read (within the configured bounds).
            var again = now + Clamp(now - attempt.UpdatedAt, o.MinReadAgainAfter, o.MaxReadAgainAfter);
            try
            {
                var read = await gate.GetSessionAsync(attempt.GateSessionId!, cancellationToken);
                var update = await writer.ApplySessionAsync(attempt.Id, read,
                    new CloseCause(AttemptCloser.Sweeper, $"0Gate session read (stuck-attempt sweeper: {why})"), cancellationToken, again);
                if (update.Outcome == ChangeOutcome.Moved)
                {
                    closed++;
                }
                else
                {
                    stillOpen++;
                }
            }
            catch (GateApiException ex)
            {
                unreachable++;
                logger.LogWarning("Sweeper could not read the session of {AttemptId}: {Status} {Code} (request {RequestId})", attempt.Id, (int?)ex.Status, ex.Code, ex.RequestId);
                await writer.UpdateAsync(attempt.Id, (a, at) =>
                {
                    a.Record(new TimelineEntry(a.Id, TimelineKind.GateRequest,
                        $"0Gate session read failed (stuck-attempt sweeper: {why}): {(ex.Status is null ? "unreachable" : ((int)ex.Status).ToString(System.Globalization.CultureInfo.InvariantCulture))} {ex.Code}".TrimEnd(), at)
                    {
                        GateRequestId = ex.RequestId,
                        GateSessionId = a.GateSessionId,
                    });
                    a.ScheduleSweep(at + o.MinReadAgainAfter);
                    return ChangeOutcome.Unchanged;
                }, cancellationToken);
            }
        }

        var summary = new SweepSummary(due.Count - unreachable, closed, stillOpen, unreachable, expired);
        if (due.Count + unopened.Count > 0)
        {
            logger.LogInformation("Stuck-attempt sweep: {Summary}", summary);
        }

        return summary;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.Interval, time);
        var lastMaintenance = DateTimeOffset.MinValue;
        try
        {
            do
            {
                lastMaintenance = await RunTurnAsync(lastMaintenance, stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping is not a failure.
        }
    }

    /// <summary>One turn: sweep if this instance leads, and run store maintenance hourly. Returns when maintenance last ran.</summary>
    private async Task<DateTimeOffset> RunTurnAsync(DateTimeOffset lastMaintenance, CancellationToken stoppingToken)
    {
        try
        {
            await using var leading = await lease.TryAcquireAsync(stoppingToken);
            if (leading is null)
            {
                return lastMaintenance; // another instance sweeps
            }

            await SweepOnceAsync(stoppingToken);
            if (time.GetUtcNow() - lastMaintenance >= MaintenanceEvery)
            {
                await maintenance.RunAsync(stoppingToken);
                return time.GetUtcNow();
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // A store or network hiccup must not stop the sweeper for good; the next tick tries again.
            logger.LogError(ex, "Stuck-attempt sweep failed");
        }

        return lastMaintenance;
    }

    private static TimeSpan Clamp(TimeSpan value, TimeSpan min, TimeSpan max) => value < min ? min : value > max ? max : value;

    private static string Describe(TimeSpan span) => span.TotalHours >= 1
        ? $"{(int)span.TotalHours} h"
        : $"{Math.Max(1, (int)span.TotalMinutes)} min";
}
