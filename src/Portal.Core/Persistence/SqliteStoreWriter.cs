using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Portal.Core.Persistence;

/// <summary>
/// SQLite's write path: SQLite admits one writer, so one writer takes pieces of work from a queue and commits all that
/// are waiting in one transaction (group commit: one fsync for every piece waiting). Concurrent writers queue here
/// instead of meeting the database's busy handler.
/// <list type="bullet">
/// <item>When a batch holds several pieces of work, each runs inside a savepoint of its own: if it fails, only its own
/// changes roll back and the rest of the batch commits. EF Core's automatic savepoints are off on the writer's
/// context, so there is never a savepoint nested inside that one.</item>
/// <item>A caller learns its result only after the batch holding it committed. If the commit fails, every caller in
/// the batch gets the error.</item>
/// </list>
/// </summary>
public sealed class SqliteStoreWriter : IStoreWriter, IAsyncDisposable
{
    /// <summary>The most pieces of work one transaction takes; more wait for the next commit.</summary>
    public const int MaxBatch = 128;

    /// <summary>Each conflict means someone else made progress, so a few runs always settle.</summary>
    private const int MaxRuns = 4;

    private readonly IDbContextFactory<PortalDbContext> _dbFactory;
    private readonly ICommitObserver _committed;
    private readonly TimeProvider _time;
    private readonly StoreWriteHealth _health;
    private readonly ILogger<SqliteStoreWriter> _logger;
    private readonly Channel<Request> _queue = Channel.CreateUnbounded<Request>(new() { SingleReader = true });
    private readonly Task _loop;
    private PortalDbContext? _context;
    private long _commits;
    private int _waiting;

    internal SqliteStoreWriter(
        IDbContextFactory<PortalDbContext> dbFactory,
        ICommitObserver committed,
        TimeProvider time,
        StoreWriteHealth health,
        ILogger<SqliteStoreWriter> logger)
    {
        _dbFactory = dbFactory;
        _committed = committed;
        _time = time;
        _health = health;
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Transactions committed so far (each holding one or more pieces of work).</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Pieces of work waiting for the writer.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>
    /// Queues <paramref name="work"/> and returns its result once the transaction holding it committed.
    /// </summary>
    /// <param name="maxWait">
    /// How long the caller waits for that commit (queue and lock included) before giving up with a
    /// <see cref="TimeoutException"/> (a webhook then answers 503). Work not started by then is skipped; work already
    /// started still commits, which is harmless for anything idempotent such as an event keyed by its id.
    /// </param>
    public async Task<T> WriteAsync<T>(Func<PortalDbContext, CancellationToken, Task<T>> work, CancellationToken cancellationToken, TimeSpan? maxWait = null)
    {
        ArgumentNullException.ThrowIfNull(work);
        var request = new Request<T>(work);
        Interlocked.Increment(ref _waiting);
        if (!_queue.Writer.TryWrite(request))
        {
            Interlocked.Decrement(ref _waiting);
            throw new ObjectDisposedException(nameof(SqliteStoreWriter), "The store writer has stopped.");
        }

        try
        {
            return maxWait is { } wait
                ? await request.Completion.Task.WaitAsync(wait, cancellationToken)
                : await request.Completion.Task.WaitAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            request.Abandon();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
        await DropWriterContextAsync();
    }

    private async Task RunAsync()
    {
        var batch = new List<Request>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            // Whatever is waiting now goes into this transaction: no artificial delay, so a lone write is not slowed
            // down, and under load every fsync carries many writes.
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next))
            {
                Interlocked.Decrement(ref _waiting);
                if (!next.IsAbandoned)
                {
                    batch.Add(next);
                }
            }

            if (batch.Count > 0)
            {
                await CommitBatchAsync(batch);
                batch.Clear();
            }
        }
    }

    private async Task CommitBatchAsync(List<Request> batch)
    {
        // A savepoint per piece of work lets one fail alone; a lone piece of work needs none (its failure rolls back
        // a transaction that holds nothing else), unless it lost a race and must run again on fresh state.
        var isolate = batch.Count > 1;
        while (true)
        {
            try
            {
                await CommitOnceAsync(batch, isolate);
                return;
            }
            catch (RunAgainIsolatedException)
            {
                isolate = true;
            }
        }
    }

    private async Task CommitOnceAsync(List<Request> batch, bool isolate)
    {
        var done = new List<(Request Request, object? Result, SavedWork Saved)>(batch.Count);
        try
        {
            var db = await OpenWriterContextAsync();
            await using var transaction = await db.Database.BeginTransactionAsync();
            for (var i = 0; i < batch.Count; i++)
            {
                var request = batch[i];
                if (request.IsAbandoned)
                {
                    continue;
                }

                var (ok, result, staged) = await RunWorkAsync(db, request, transaction, isolate ? SavepointName(i) : null);
                if (ok)
                {
                    done.Add((request, result, staged!));
                }
            }

            if (done.Count == 0)
            {
                await transaction.RollbackAsync();
                return;
            }

            await transaction.CommitAsync();
            Interlocked.Increment(ref _commits);
            _health.Committed();
        }
        catch (RunAgainIsolatedException)
        {
            throw; // the transaction was rolled back when disposed
        }
        catch (Exception ex)
        {
            // The transaction did not commit: nothing in it happened, and every caller in it learns so. The context
            // and its connection are dropped: the next batch starts on a fresh connection.
            await DropWriterContextAsync();
            _health.Failed(ex);
            _logger.LogWarning(ex, "A store transaction of {Count} write(s) failed", batch.Count);
            foreach (var request in batch)
            {
                request.Fail(ex); // no effect on a request that already failed on its own
            }

            return;
        }
        finally
        {
            _context?.ChangeTracker.Clear();
        }

        foreach (var (request, result, saved) in done)
        {
            _committed.Report(saved);
            request.Complete(result);
        }
    }

    /// <summary>
    /// The writer's own context, kept with its connection open from one batch to the next (only the writer uses it,
    /// one batch at a time): no context set-up and no connection open per write.
    /// </summary>
    private async Task<PortalDbContext> OpenWriterContextAsync()
    {
        if (_context is { } open)
        {
            return open;
        }

        var db = await _dbFactory.CreateDbContextAsync();
        // The batch's own savepoints isolate its pieces; EF Core's (one per SaveChanges inside a transaction) would
        // only nest inside them.
        db.Database.AutoSavepointsEnabled = false;
        try
        {
            await WriterConnection.OpenAsync(db);
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }

        return _context = db;
    }

    private async Task DropWriterContextAsync()
    {
        if (_context is { } db)
        {
            _context = null;
            try
            {
                await db.DisposeAsync();
            }
            catch (Exception ex)
            {
                _logger.LogDebug(ex, "Closing the store writer's connection failed");
            }
        }
    }

    private static string SavepointName(int index) => "w" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Runs one piece of work on a clean change tracker (inside a savepoint when the batch holds several), again on
    /// fresh state after a lost race.
    /// </summary>
    private async Task<(bool Ok, object? Result, SavedWork? Saved)> RunWorkAsync(PortalDbContext db, Request request, IDbContextTransaction transaction, string? savepoint)
    {
        for (var run = 1; ; run++)
        {
            db.ChangeTracker.Clear();
            if (savepoint is not null)
            {
                await transaction.CreateSavepointAsync(savepoint);
            }

            try
            {
                var result = await request.RunAsync(db);
                var saved = await UnitOfWork.SaveAsync(db, _time.GetUtcNow(), request.Activity, CancellationToken.None);
                if (savepoint is not null)
                {
                    await transaction.ReleaseSavepointAsync(savepoint);
                }

                return (true, result, saved);
            }
            catch (Exception ex) when (savepoint is null && StoreErrors.IsWriteConflict(ex))
            {
                _logger.LogDebug("Write conflict; running the work again on fresh state, in a savepoint");
                throw new RunAgainIsolatedException();
            }
            catch (Exception ex) when (run < MaxRuns && StoreErrors.IsWriteConflict(ex))
            {
                await transaction.RollbackToSavepointAsync(savepoint!);
                _logger.LogDebug("Write conflict on run {Run}; running the work again on fresh state", run);
            }
            catch (Exception ex) when (!StoreErrors.IsConnectionBroken(ex)) // a broken connection takes the whole batch
            {
                // The work's own failure: its changes roll back (to its savepoint, or with the whole transaction when
                // it is alone) and only its caller hears of it.
                if (savepoint is not null)
                {
                    await transaction.RollbackToSavepointAsync(savepoint);
                }

                request.Fail(ex);
                return (false, null, null);
            }
        }
    }

    private sealed class RunAgainIsolatedException : Exception;

    private abstract class Request
    {
        private int _abandoned;

        /// <summary>The caller's trace, so what the writer does on its behalf is attributed to it.</summary>
        public Activity? Activity { get; } = Activity.Current;

        public bool IsAbandoned => Volatile.Read(ref _abandoned) == 1;

        public void Abandon() => Interlocked.Exchange(ref _abandoned, 1);

        public abstract Task<object?> RunAsync(PortalDbContext db);

        public abstract void Complete(object? result);

        public abstract void Fail(Exception error);
    }

    private sealed class Request<T>(Func<PortalDbContext, CancellationToken, Task<T>> work) : Request
    {
        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async Task<object?> RunAsync(PortalDbContext db) => await work(db, CancellationToken.None);

        public override void Complete(object? result) => Completion.TrySetResult((T)result!);

        public override void Fail(Exception error) => Completion.TrySetException(error);
    }
}
