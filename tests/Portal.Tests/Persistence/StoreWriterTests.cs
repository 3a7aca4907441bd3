using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Attempts;
using Portal.Core.Persistence;
using Portal.Tests.Infrastructure;
using Portal.Tests.Support;

namespace Portal.Tests.Persistence;

/// <summary>The one writer: queued work is committed in batches (one transaction, one fsync), each piece isolated by a savepoint.</summary>
public sealed class StoreWriterTests : IAsyncLifetime
{
    private readonly StatementRecorder _recorder = new();
    private CoreHarness _core = null!;

    private SqliteStoreWriter Writer => (SqliteStoreWriter)_core.Get<IStoreWriter>();

    public async Task InitializeAsync() => _core = await CoreHarness.StartAsync(configureServices: _recorder.AddTo);

    [Fact]
    public async Task Each_piece_of_a_batch_has_one_savepoint_of_its_own_and_EF_Core_nests_none_inside()
    {
        var attempt = await _core.AttemptAsync();

        var writes = await WhileTheDatabaseIsLockedAsync(() =>
        {
            _recorder.Start();
            return Task.FromResult(Enumerable.Range(0, 5)
                .Select(i => Writer.WriteAsync((db, _) => { db.Timeline.Add(Note(attempt.Id, $"note {i}")); return Task.FromResult(i); }, default))
                .ToList());
        });
        await Task.WhenAll(writes);
        var seen = _recorder.Stop();

        // Either all five share one transaction, or the one that reached the lock first commits alone (no savepoint)
        // and the four waiting behind it share the next: one savepoint per piece of a shared batch. EF Core's own
        // savepoint per SaveChanges inside a transaction would double that.
        seen.Commits.ShouldBeInRange(1, 2);
        seen.Savepoints.ShouldBe(seen.Commits == 1 ? 5 : 4);
    }

    public async Task DisposeAsync() => await _core.DisposeAsync();

    [Fact]
    public async Task Writes_that_wait_together_are_committed_together()
    {
        var attempt = await _core.AttemptAsync();
        var before = Writer.Commits;

        var writes = await WhileTheDatabaseIsLockedAsync(() => Task.FromResult(Enumerable.Range(0, 20)
            .Select(i => Writer.WriteAsync((db, _) => { db.Timeline.Add(Note(attempt.Id, $"note {i}")); return Task.FromResult(i); }, default))
            .ToList()));
        var results = await Task.WhenAll(writes);

        results.ShouldBe(Enumerable.Range(0, 20));
        (Writer.Commits - before).ShouldBeLessThanOrEqualTo(2); // the one stuck on the lock, then all the rest in one transaction
        (await Notes(attempt.Id)).Count.ShouldBe(20);
    }

    [Fact]
    public async Task A_failing_piece_of_work_rolls_back_alone_and_the_rest_of_its_batch_commits()
    {
        var attempt = await _core.AttemptAsync();

        var writes = await WhileTheDatabaseIsLockedAsync<Task<int>[]>(() => Task.FromResult<Task<int>[]>(
        [
            Writer.WriteAsync((db, _) => { db.Timeline.Add(Note(attempt.Id, "first")); return Task.FromResult(1); }, default),
            Writer.WriteAsync<int>(async (db, ct) =>
            {
                db.Timeline.Add(Note(attempt.Id, "doomed"));
                await db.SaveChangesAsync(ct);
                throw new InvalidOperationException("a bug in one piece of work");
            }, default),
            Writer.WriteAsync((db, _) => { db.Timeline.Add(Note(attempt.Id, "third")); return Task.FromResult(3); }, default),
        ]));

        (await writes[0]).ShouldBe(1);
        await Should.ThrowAsync<InvalidOperationException>(writes[1]);
        (await writes[2]).ShouldBe(3);
        (await Notes(attempt.Id)).ShouldBe(["first", "third"], ignoreOrder: true);
    }

    [Fact]
    public async Task A_caller_that_cannot_wait_longer_gets_a_timeout_and_work_not_yet_started_is_skipped()
    {
        var attempt = await _core.AttemptAsync();

        var late = await WhileTheDatabaseIsLockedAsync(async () =>
        {
            var blocked = Writer.WriteAsync((db, _) => { db.Timeline.Add(Note(attempt.Id, "blocked")); return Task.FromResult(0); }, default);
            var impatient = Writer.WriteAsync((db, _) => { db.Timeline.Add(Note(attempt.Id, "impatient")); return Task.FromResult(0); }, default, maxWait: TimeSpan.FromMilliseconds(200));
            await Should.ThrowAsync<TimeoutException>(impatient); // while the lock is still held
            return blocked;
        });

        await late;
        (await Notes(attempt.Id)).ShouldBe(["blocked"]); // the abandoned write never ran
    }

    [Fact]
    public async Task A_lone_failing_write_leaves_nothing_behind_and_the_next_write_commits()
    {
        var attempt = await _core.AttemptAsync();

        await Should.ThrowAsync<InvalidOperationException>(Writer.WriteAsync<int>(async (db, ct) =>
        {
            db.Timeline.Add(Note(attempt.Id, "doomed"));
            await db.SaveChangesAsync(ct);
            throw new InvalidOperationException("a bug in the only piece of work");
        }, default));
        await Writer.WriteAsync((db, _) => { db.Timeline.Add(Note(attempt.Id, "next")); return Task.FromResult(true); }, default);

        (await Notes(attempt.Id)).ShouldBe(["next"]);
    }

    [Fact]
    public async Task A_write_that_loses_its_connection_fails_and_the_next_write_opens_a_new_one()
    {
        var attempt = await _core.AttemptAsync();

        await Should.ThrowAsync<Exception>(Writer.WriteAsync((db, _) =>
        {
            db.Timeline.Add(Note(attempt.Id, "lost"));
            db.Database.GetDbConnection().Close(); // the transaction goes with it
            return Task.FromResult(true);
        }, default));
        await Writer.WriteAsync((db, _) => { db.Timeline.Add(Note(attempt.Id, "after")); return Task.FromResult(true); }, default);

        (await Notes(attempt.Id)).ShouldBe(["after"]);
    }

    /// <summary>Starts <paramref name="start"/> while another connection holds SQLite's write lock, then lets go.</summary>
    private async Task<T> WhileTheDatabaseIsLockedAsync<T>(Func<Task<T>> start)
    {
        var path = await _core.WithDbAsync(db => Task.FromResult(new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource));
        await using var blocker = new SqliteConnection($"Data Source={path};Pooling=False");
        await blocker.OpenAsync();
        await using var hold = blocker.CreateCommand();
        hold.CommandText = "BEGIN EXCLUSIVE;";
        await hold.ExecuteNonQueryAsync();
        var started = await start();
        using (var limit = new CancellationTokenSource(TimeSpan.FromSeconds(3)))
        {
            // Everything but the write already stuck on the lock is waiting in the queue.
            while (Writer.Waiting == 0 && !limit.IsCancellationRequested)
            {
                await Task.Delay(5, CancellationToken.None);
            }
        }

        hold.CommandText = "ROLLBACK;";
        await hold.ExecuteNonQueryAsync();
        return started;
    }

    private Task<List<string>> Notes(string attemptId) =>
        _core.WithDbAsync(db => db.Timeline.Where(e => e.AttemptId == attemptId && e.Kind == TimelineKind.Note).Select(e => e.Summary).ToListAsync());

    private static TimelineEntry Note(string attemptId, string text) => new(attemptId, TimelineKind.Note, text, DateTimeOffset.UtcNow);
}

/// <summary>On PostgreSQL other instances write too: a write that loses a race runs again on fresh state.</summary>
public sealed class StoreWriterTestsOnPostgreSql : IAsyncLifetime
{
    private CoreHarness _core = null!;

    public async Task InitializeAsync() => _core = await CoreHarness.StartAsync(provider: StoreProvider.PostgreSql);

    public async Task DisposeAsync() => await _core.DisposeAsync();

    [Fact]
    public async Task A_lone_write_whose_attempt_another_instance_changed_meanwhile_runs_again_on_fresh_state()
    {
        var attempt = await _core.AttemptAsync(sessionId: "gs_" + Guid.NewGuid().ToString("n"));
        var runs = new List<AttemptStatus>();

        var seen = await _core.Get<IStoreWriter>().WriteAsync(async (db, ct) =>
        {
            var mine = await db.Attempts.SingleAsync(a => a.Id == attempt.Id, ct);
            runs.Add(mine.Status);
            if (runs.Count == 1)
            {
                // Another instance closes it between this read and this write.
                await _core.WithDbAsync(other => other.Attempts.Where(a => a.Id == attempt.Id)
                    .ExecuteUpdateAsync(set => set.SetProperty(a => a.Status, AttemptStatus.Expired), ct));
            }

            mine.FlagConflict(DateTimeOffset.UtcNow, $"saw {mine.Status}"); // a change: the update checks the concurrency token
            return mine.Status;
        }, default);

        runs.ShouldBe([attempt.Status, AttemptStatus.Expired]);
        seen.ShouldBe(AttemptStatus.Expired);
        var stored = await _core.WithDbAsync(db => db.Attempts.AsNoTracking().SingleAsync(a => a.Id == attempt.Id));
        stored.Status.ShouldBe(AttemptStatus.Expired); // the other instance's change stands
        stored.NeedsReview.ShouldBeTrue(); // and this write, run again on top of it, committed once
    }
}
