using System.Diagnostics;
using Portal.Core.Attempts;
using Portal.Core.Checkout;
using Portal.Core.Gate;
using Portal.Core.Persistence;
using Portal.Core.Records;
using Portal.Core.Telemetry;

namespace Portal.Core.Jobs;

/// <summary>
/// Runs <see cref="BackgroundJob"/>s: claims due ones (<see cref="IStoreStatements.ClaimJobsAsync"/>; PostgreSQL: one
/// <c>UPDATE … RETURNING</c> over <c>SKIP LOCKED</c> rows, so each is taken by one instance; SQLite: the one writer),
/// runs them outside any transaction, then records the outcome (a fetched receipt completes its job in its own
/// transaction). An idle runner sleeps until a commit wakes it, or looks again after a while. A claim is a
/// lease: if the instance dies mid-job, the job is due again when the lease ends. Failures retry with back-off.
/// </summary>
public sealed class JobRunner(
    IStoreWriter store,
    IStoreStatements statements,
    ReceiptFetcher receipts,
    Email.OutcomeEmailSender emails,
    JobSignal signal,
    InstanceIdentity instance,
    TimeProvider time,
    ILogger<JobRunner> logger) : BackgroundService
{
    public const int MaxTries = 20;
    private const int ClaimSize = 16;

    /// <summary>Claimed jobs run a few at a time: their stores then share commits, and 0Gate sees a bounded load.</summary>
    private const int RunTogether = 4;
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    /// <summary>How often an idle runner looks for work it was not woken for (another instance's, a retry now due).</summary>
    private static readonly TimeSpan LookEvery = TimeSpan.FromSeconds(2);

    /// <summary>Claims and runs every job due now; returns how many ran (tests, and each turn of the loop).</summary>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken)
    {
        var ran = 0;
        List<BackgroundJob> claimed;
        do
        {
            var now = time.GetUtcNow();
            claimed = await statements.ClaimJobsAsync(instance.Name, now, now + Lease, ClaimSize, cancellationToken);
            await Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = RunTogether, CancellationToken = cancellationToken },
                async (job, ct) => await RunAsync(job, ct));
            ran += claimed.Count;
        }
        while (claimed.Count == ClaimSize); // a short claim took every due job: no empty claim to learn that

        return ran;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await RunDueAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    logger.LogError(ex, "Running background jobs failed; trying again shortly");
                }

                await signal.WaitAsync(LookEvery, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping is not a failure; a job mid-run is simply due again after its lease.
        }
    }

    private async Task RunAsync(BackgroundJob job, CancellationToken cancellationToken)
    {
        ActivityContext.TryParse(job.TraceParent, null, out var cause);
        using var activity = PortalTelemetry.Source.StartActivity(
            $"job.{job.Kind}", ActivityKind.Internal, parentContext: default, links: cause == default ? null : [new ActivityLink(cause)]);
        activity?.SetTag("portal.attempt.id", job.AttemptId);
        string? error = null;
        try
        {
            switch (job.Kind)
            {
                case JobKinds.FetchReceipt when job.AttemptId is not null:
                    if (await receipts.FetchAsync(job.AttemptId, cancellationToken, forJob: job) == ReceiptFetch.Stored)
                    {
                        statements.ReleaseJob(job); // completed in the receipt's own transaction
                        return;
                    }

                    break;
                case JobKinds.EmailClosed or JobKinds.EmailVerification:
                    error = await emails.RunAsync(job, cancellationToken);
                    break;
                default:
                    error = $"unknown job kind '{job.Kind}'";
                    break;
            }
        }
        catch (GateApiException ex)
        {
            error = $"0Gate: {(ex.Status is null ? "unreachable" : ((int)ex.Status).ToString(System.Globalization.CultureInfo.InvariantCulture))} {ex.Code} (request {ex.RequestId})";
        }
        catch (Exception ex) when (StoreErrors.IsUnavailable(ex) && !cancellationToken.IsCancellationRequested)
        {
            // The store failed under the job (a database restart, a full disk): a failed try like any other, due again
            // after its back-off, instead of failing the whole claim and leaving every claimed job to its lease.
            error = "store unavailable";
        }

        var tries = job.Tries;
        try
        {
            await RecordOutcomeAsync(job, error, tries, cancellationToken);
            statements.ReleaseJob(job);
        }
        catch (Exception ex) when (StoreErrors.IsUnavailable(ex) && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Job {JobId} {Kind} for {AttemptId}: its outcome could not be stored; it is due again when its lease ends", job.Id, job.Kind, job.AttemptId);
            return;
        }

        if (error is not null)
        {
            logger.LogWarning("Job {JobId} {Kind} for {AttemptId} failed (try {Try}): {Error}", job.Id, job.Kind, job.AttemptId, tries + 1, error);
        }
    }

    private async Task RecordOutcomeAsync(BackgroundJob job, string? error, int tries, CancellationToken cancellationToken)
    {
        await store.WriteAsync((db, _) =>
        {
            // The job as claimed (this instance holds its lease): one UPDATE by id, no read.
            var row = job.Copy();
            if (error is null)
            {
                row.Succeed(time.GetUtcNow());
            }
            else
            {
                // 5 s, 10 s, 20 s … at most 10 minutes between tries.
                var wait = TimeSpan.FromSeconds(Math.Min(600, 5 * Math.Pow(2, Math.Min(tries, 10))));
                var now = time.GetUtcNow();
                row.Fail(error, now, wait, MaxTries);
                if (job.Kind == JobKinds.FetchReceipt && (tries == 0 || row.GaveUp))
                {
                    // Staff see it on the attempt's timeline: the first failure, and giving up (not every retry).
                    db.Timeline.Add(new TimelineEntry(job.AttemptId, TimelineKind.Note, row.GaveUp
                        ? $"Receipt fetch gave up after {row.Tries} tries: {row.LastError}."
                        : $"Receipt fetch failed: {row.LastError}. Retrying with back-off (next in {wait.TotalSeconds:0} s).", now));
                }
            }

            db.Jobs.Update(row);
            return Task.FromResult(true);
        }, cancellationToken);
    }
}
