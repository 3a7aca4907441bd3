using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Portal.Core.Audit;
using Portal.Core.Limits;
using Portal.Core.Reads;
using Portal.Core.Records;

namespace Portal.Core.StaffActions;

/// <summary>
/// Support's bulk reconcile: every attempt in a time window (default: open ones with a session) read from 0Gate through
/// the same path as one "Reconcile" (<see cref="SupportReconciler"/>), bounded (<see cref="RateLimitOptions.BulkReconcileMaxAttempts"/>
/// per run), a little concurrency and a pace of reads per second, one run at a time on this instance, stoppable. The run
/// counts as one reconcile against the person's limit. Audit: one entry for the run and one per attempt it changed.
/// </summary>
public sealed class BulkReconciler(
    SupportSearch support,
    SupportReconciler reconciler,
    AuditLog audit,
    BulkReconcileRuns runs,
    UserActionLimits limits,
    IOptions<RateLimitOptions> options,
    TimeProvider time,
    ILogger<BulkReconciler> logger)
{
    public int MaxAttempts => options.Value.BulkReconcileMaxAttempts;

    public static string? Validate(BulkReconcileRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.From >= request.To)
        {
            return "The window must end after it starts.";
        }

        return request.Statuses.Count == 0 ? "Choose at least one status." : null;
    }

    public async Task<BulkReconcilePreview> PreviewAsync(BulkReconcileRequest request, CancellationToken cancellationToken)
    {
        if (Validate(request) is not null)
        {
            return new(0, 0, MaxAttempts);
        }

        var (_, total) = await support.ReconcilableAsync(request.ToFilter(), 0, cancellationToken);
        return new(total, Math.Min(total, MaxAttempts), MaxAttempts);
    }

    /// <param name="progress">Called after each attempt with the counts so far (from the run's own threads).</param>
    /// <param name="stop">Stops taking further attempts; reads already sent finish and are counted.</param>
    public async Task<BulkReconcileSummary> RunAsync(BulkReconcileRequest request, StaffMember staff, Action<BulkReconcileProgress>? progress, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(staff);
        if (Validate(request) is { } invalid)
        {
            return new(BulkReconcileOutcome.Invalid, invalid, null);
        }

        var runId = "bulk_" + Guid.NewGuid().ToString("n")[..20];
        if (!runs.TryStart(runId, staff, out var running))
        {
            return new(BulkReconcileOutcome.AlreadyRunning, $"A bulk reconcile by {running.DisplayName} is running; wait for it to finish (or stop it).", null);
        }

        try
        {
            if (!limits.TryReconcile(staff.Key))
            {
                return new(BulkReconcileOutcome.RateLimited, "You have reconciled many attempts in the last minute. Wait a moment, then start the run again.", null);
            }

            var (ids, matching) = await support.ReconcilableAsync(request.ToFilter(), MaxAttempts, CancellationToken.None);
            if (ids.Count == 0)
            {
                return new(BulkReconcileOutcome.NothingToDo, "No attempt in that window can be reconciled (open or flagged, with a 0Gate session).", null);
            }

            var tally = new Tally(runId, ids.Count);
            var stopped = false;
            var o = options.Value;
            using var pace = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = o.BulkReconcileReadsPerSecond,
                TokensPerPeriod = o.BulkReconcileReadsPerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = int.MaxValue,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                AutoReplenishment = true,
            });
            try
            {
                await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = o.BulkReconcileConcurrency, CancellationToken = stop }, async (id, next) =>
                {
                    using var lease = await pace.AcquireAsync(1, next);

                    // Once sent, a read finishes and is applied even if the run is stopped meanwhile.
                    var now = tally.Add(await ReconcileOneAsync(id, staff, runId));
                    progress?.Invoke(now);
                });
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                stopped = true;
            }

            var final = tally.Snapshot();
            var counts = $"{final.Done} of {final.Total} read: {final.Changed} changed, {final.Unchanged} unchanged, {final.Failed} failed";
            var taken = matching > ids.Count ? $" ({matching} matched; the {ids.Count} oldest were taken)" : string.Empty;
            await audit.AppendAsync(new AuditEntry(staff, AuditAction.BulkReconcile, null, stopped ? AuditResult.Stopped : AuditResult.Completed,
                $"{request}{taken}: {counts}", time.GetUtcNow(), runId: runId), CancellationToken.None);
            return new(stopped ? BulkReconcileOutcome.Stopped : BulkReconcileOutcome.Completed,
                stopped ? $"Stopped: {counts}." : $"Done: {counts}.{taken}", final);
        }
        finally
        {
            runs.Finish(runId);
        }
    }

    private async Task<ReconcileOutcome> ReconcileOneAsync(string attemptId, StaffMember staff, string runId)
    {
        try
        {
            return (await reconciler.ReconcileForRunAsync(attemptId, staff, runId, CancellationToken.None)).Outcome;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // One attempt's store hiccup must not end the run: it is counted as failed, and the log says why.
            logger.LogWarning(ex, "Bulk reconcile {RunId}: attempt {AttemptId} failed", runId, attemptId);
            return ReconcileOutcome.GateUnavailable;
        }
    }

    private sealed class Tally(string runId, int total)
    {
        private readonly Lock _lock = new();
        private int _changed;
        private int _unchanged;
        private int _failed;

        public BulkReconcileProgress Add(ReconcileOutcome outcome)
        {
            lock (_lock)
            {
                switch (outcome)
                {
                    case ReconcileOutcome.Moved:
                        _changed++;
                        break;
                    case ReconcileOutcome.Unchanged or ReconcileOutcome.NotApplicable:
                        _unchanged++; // NotApplicable: it closed by itself between listing and reading
                        break;
                    default:
                        _failed++;
                        break;
                }

                return Current();
            }
        }

        public BulkReconcileProgress Snapshot()
        {
            lock (_lock)
            {
                return Current();
            }
        }

        private BulkReconcileProgress Current() => new(runId, total, _changed + _unchanged + _failed, _changed, _unchanged, _failed);
    }
}
