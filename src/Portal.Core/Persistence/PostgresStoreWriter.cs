using System.Data;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;

namespace Portal.Core.Persistence;

/// <summary>
/// PostgreSQL's write path: PostgreSQL admits many writers, so each write is its own short <c>READ COMMITTED</c>
/// transaction on a pooled connection, many at once; PostgreSQL's own group commit shares the fsyncs. No savepoints
/// (EF Core's automatic ones are off): a transaction holds one piece of work, so a failure rolls back only that work.
/// <list type="bullet">
/// <item>Transient failures (a dropped connection, a server restarting) are retried by EF Core's execution strategy,
/// within the caller's <c>maxWait</c>; past it the caller gets a <see cref="TimeoutException"/> (a webhook: 503).</item>
/// <item>A lost race (the attempt's status no longer matched, a unique row existed already, a serialization failure)
/// rolls back and runs the work again on fresh state.</item>
/// <item>Other instances hear of a changed attempt through a trigger on <c>checkout_attempts</c> that calls
/// <c>pg_notify</c> inside the same transaction (delivered on commit, never on rollback), so announcing costs no
/// statement; this instance announces its own changes right after the commit.</item>
/// </list>
/// </summary>
public sealed class PostgresStoreWriter : IStoreWriter
{
    /// <summary>Each conflict means someone else made progress, so a few runs always settle.</summary>
    private const int MaxRuns = 4;

    private readonly IDbContextFactory<PortalDbContext> _dbFactory;
    private readonly ICommitObserver _committed;
    private readonly TimeProvider _time;
    private readonly StoreWriteHealth _health;
    private readonly ILogger<PostgresStoreWriter> _logger;
    private long _commits;

    internal PostgresStoreWriter(IDbContextFactory<PortalDbContext> dbFactory, ICommitObserver committed, TimeProvider time, StoreWriteHealth health, ILogger<PostgresStoreWriter> logger)
    {
        _dbFactory = dbFactory;
        _committed = committed;
        _time = time;
        _health = health;
        _logger = logger;
    }

    public long Commits => Interlocked.Read(ref _commits);

    public async Task<T> WriteAsync<T>(Func<PortalDbContext, CancellationToken, Task<T>> work, CancellationToken cancellationToken, TimeSpan? maxWait = null)
    {
        ArgumentNullException.ThrowIfNull(work);
        using var deadline = maxWait is { } wait ? new CancellationTokenSource(wait) : null;
        using var linked = deadline is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var token = linked?.Token ?? cancellationToken;
        var cause = Activity.Current;
        try
        {
            await using var db = await _dbFactory.CreateDbContextAsync(token);
            db.Database.AutoSavepointsEnabled = false;
            var strategy = db.Database.CreateExecutionStrategy();
            for (var run = 1; ; run++)
            {
                try
                {
                    var (result, saved) = await strategy.ExecuteAsync(
                        (Work: work, Cause: cause, Time: _time),
                        async (context, state, ct) =>
                        {
                            var owner = (PortalDbContext)context;
                            owner.ChangeTracker.Clear();
                            await using var transaction = await owner.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
                            var result = await state.Work(owner, ct);
                            var saved = await UnitOfWork.SaveAsync(owner, state.Time.GetUtcNow(), state.Cause, ct);
                            await transaction.CommitAsync(ct);
                            return (result, saved);
                        },
                        verifySucceeded: null,
                        token);
                    Interlocked.Increment(ref _commits);
                    _health.Committed();
                    _committed.Report(saved);
                    return result;
                }
                catch (Exception ex) when (run < MaxRuns && StoreErrors.IsWriteConflict(ex))
                {
                    _logger.LogDebug("Write conflict on run {Run}; running the work again on fresh state", run);
                }
            }
        }
        catch (Exception ex) when (NoteFailure(ex))
        {
            throw; // never reached: the filter only notes the failure
        }
        catch (OperationCanceledException) when (deadline?.IsCancellationRequested == true && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The store did not commit within {maxWait}.");
        }
        catch (Exception ex) when (deadline?.IsCancellationRequested == true && !cancellationToken.IsCancellationRequested && StoreErrors.IsUnavailable(ex))
        {
            // Npgsql reports a cancelled command as a server error (query_canceled) wrapped in EF's exceptions.
            throw new TimeoutException($"The store did not commit within {maxWait}.", ex);
        }
    }

    /// <summary>Tells <see cref="StoreWriteHealth"/> of a failed write (it keeps only the store's own failures); never catches.</summary>
    private bool NoteFailure(Exception error)
    {
        _health.Failed(error);
        return false;
    }
}
