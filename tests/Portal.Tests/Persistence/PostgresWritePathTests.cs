using System.Collections.Concurrent;
using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Portal.Core.Attempts;
using Portal.Core.Gate;
using Portal.Core.Jobs;
using Portal.Core.Persistence;
using Portal.Core.Records;
using Portal.Core.Webhooks;
using Portal.Tests.Infrastructure;
using Portal.Tests.Support;

namespace Portal.Tests.Persistence;

/// <summary>
/// PostgreSQL's write path (docs/architecture.md#write-path): each delivery is its own short transaction, without
/// savepoints, in a few round trips; a lock held elsewhere fails only the delivery that waits on it; two instances
/// taking the same events at once close each attempt once.
/// </summary>
public sealed class PostgresWritePathTests : IAsyncLifetime
{
    private readonly StatementRecorder _recorder = new();
    private CoreHarness _core = null!;

    public async Task InitializeAsync() =>
        _core = await CoreHarness.StartAsync(provider: StoreProvider.PostgreSql, configureServices: services => _recorder.AddTo(services));

    public async Task DisposeAsync() => await _core.DisposeAsync();

    [Fact]
    public async Task A_fulfilled_delivery_is_one_transaction_of_three_commands_with_no_savepoint()
    {
        var (attempt, sessionId) = await OpenAttemptAsync(_core);

        _recorder.Start();
        var applied = await ApplyAsync(_core, Completed("evt_" + Guid.NewGuid().ToString("n"), sessionId, attempt.Id));
        var seen = _recorder.Stop();

        applied.Status.ShouldBe(IngestionStatus.Processed);
        applied.Outcome.ShouldBe(EventOutcome.Applied);
        seen.Savepoints.ShouldBe(0);
        seen.Commands.ShouldNotContain(sql => sql.Contains("SAVEPOINT", StringComparison.OrdinalIgnoreCase));
        // The dedupe insert, the attempt read, and one batch (attempt update, timeline, processed event, receipt job);
        // then the commit. pg_notify rides on a trigger, not a statement of its own.
        seen.Commands.Count.ShouldBe(3, string.Join("\n---\n", seen.Commands));
        seen.Commands[0].ShouldStartWith("WITH inserted AS (\n    INSERT INTO processed_events"); // the dedupe is the insert
        seen.Commits.ShouldBe(1);
        var stored = await _core.WithDbAsync(db => db.Attempts.AsNoTracking().SingleAsync(a => a.Id == attempt.Id));
        stored.Status.ShouldBe(AttemptStatus.Fulfilled);
        (await _core.WithDbAsync(db => db.Jobs.CountAsync(j => j.AttemptId == attempt.Id && j.Kind == JobKinds.FetchReceipt))).ShouldBe(1);
    }

    [Fact]
    public async Task Fifty_concurrent_copies_of_one_event_apply_it_once_and_open_no_subtransaction()
    {
        var (attempt, sessionId) = await OpenAttemptAsync(_core);
        var gateEvent = Completed("evt_" + Guid.NewGuid().ToString("n"), sessionId, attempt.Id);

        _recorder.Start();
        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => ApplyAsync(_core, gateEvent))));
        var seen = _recorder.Stop();

        results.Count(r => r.Status == IngestionStatus.Processed).ShouldBe(1);
        results.Count(r => r.Status == IngestionStatus.Duplicate).ShouldBe(49);
        results.ShouldAllBe(r => r.Outcome == EventOutcome.Applied);
        seen.Savepoints.ShouldBe(0);
        seen.Commands.ShouldNotContain(sql => sql.Contains("SAVEPOINT", StringComparison.OrdinalIgnoreCase));
        var closes = await _core.WithDbAsync(db => db.Timeline.CountAsync(e => e.AttemptId == attempt.Id && e.ToStatus == AttemptStatus.Fulfilled));
        closes.ShouldBe(1);
    }

    [Fact]
    public async Task A_delivery_waiting_on_a_lock_held_elsewhere_fails_alone_while_other_deliveries_commit()
    {
        var (locked, lockedSession) = await OpenAttemptAsync(_core);
        var (free, freeSession) = await OpenAttemptAsync(_core);
        var lockedEvent = Completed("evt_" + Guid.NewGuid().ToString("n"), lockedSession, locked.Id);

        // Something outside the portal (a manual session, a long report) holds the attempt's row lock.
        await using var holder = new NpgsqlConnection(_core.PostgresDatabase);
        await holder.OpenAsync();
        await using var transaction = await holder.BeginTransactionAsync();
        await using (var hold = new NpgsqlCommand("SELECT 1 FROM checkout_attempts WHERE \"Id\" = @id FOR UPDATE", holder, transaction))
        {
            hold.Parameters.AddWithValue("id", locked.Id);
            await hold.ExecuteScalarAsync();
        }

        var waiting = ApplyAsync(_core, lockedEvent);
        var other = await ApplyAsync(_core, Completed("evt_" + Guid.NewGuid().ToString("n"), freeSession, free.Id));

        other.Status.ShouldBe(IngestionStatus.Processed);
        waiting.IsCompleted.ShouldBeFalse(); // the other delivery did not queue behind it
        (await waiting).Status.ShouldBe(IngestionStatus.StorageUnavailable); // after WebhookIngestion.StoreWait: 503, 0Gate retries
        await transaction.RollbackAsync();

        // Nothing of the failed delivery stayed behind: its retry is a first delivery, not a duplicate.
        var retried = await ApplyAsync(_core, lockedEvent);
        retried.Status.ShouldBe(IngestionStatus.Processed);
        retried.Outcome.ShouldBe(EventOutcome.Applied);
    }

    [Fact]
    public async Task Two_instances_taking_the_same_thousand_events_at_once_close_each_attempt_once()
    {
        await using var other = await CoreHarness.StartAsync(provider: StoreProvider.PostgreSql, sharedPostgresDatabase: _core.PostgresDatabase);
        var opened = new ConcurrentBag<(CheckoutAttempt Attempt, string SessionId)>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 1000), new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (_, _) => opened.Add(await OpenAttemptAsync(_core)));
        var events = opened.Select(o => Completed("evt_" + Guid.NewGuid().ToString("n"), o.SessionId, o.Attempt.Id)).ToList();

        // Every event goes to both instances at the same moment, as 0Gate's retries behind a load balancer can.
        var deliveries = events.SelectMany(e => new[] { (Instance: _core, Event: e), (Instance: other, Event: e) }).ToList();
        var results = new ConcurrentBag<IngestionResult>();
        await Parallel.ForEachAsync(deliveries, new ParallelOptions { MaxDegreeOfParallelism = 32 },
            async (delivery, _) => results.Add(await ApplyAsync(delivery.Instance, delivery.Event)));

        results.Count.ShouldBe(2000);
        results.ShouldNotContain(r => r.Status == IngestionStatus.StorageUnavailable); // no 503 (and a 500 would have thrown)
        results.Count(r => r.Status == IngestionStatus.Processed).ShouldBe(1000);
        results.ShouldAllBe(r => r.Outcome == EventOutcome.Applied);
        var ids = opened.Select(o => o.Attempt.Id).ToList();
        var closes = await _core.WithDbAsync(db => db.Timeline
            .Where(e => e.ToStatus == AttemptStatus.Fulfilled && ids.Contains(e.AttemptId!))
            .GroupBy(e => e.AttemptId).Select(g => g.Count()).ToListAsync());
        closes.Count.ShouldBe(1000);
        closes.ShouldAllBe(count => count == 1);
        (await _core.WithDbAsync(db => db.Attempts.CountAsync(a => ids.Contains(a.Id) && a.Status == AttemptStatus.Fulfilled))).ShouldBe(1000);
        (await _core.WithDbAsync(db => db.Jobs.CountAsync(j => j.Kind == JobKinds.FetchReceipt && ids.Contains(j.AttemptId!)))).ShouldBe(1000);
    }

    [Fact]
    public async Task Due_jobs_are_claimed_in_one_statement_and_each_by_one_instance()
    {
        await using var other = await CoreHarness.StartAsync(provider: StoreProvider.PostgreSql, sharedPostgresDatabase: _core.PostgresDatabase);
        for (var i = 0; i < 40; i++)
        {
            var (attempt, sessionId) = await OpenAttemptAsync(_core);
            await ApplyAsync(_core, Completed("evt_" + Guid.NewGuid().ToString("n"), sessionId, attempt.Id));
        }

        var now = DateTimeOffset.UtcNow;
        _recorder.Start();
        var claims = await Task.WhenAll(
            _core.Get<IStoreStatements>().ClaimJobsAsync("instance-a", now, now.AddMinutes(2), 16, default),
            other.Get<IStoreStatements>().ClaimJobsAsync("instance-b", now, now.AddMinutes(2), 16, default),
            _core.Get<IStoreStatements>().ClaimJobsAsync("instance-a", now, now.AddMinutes(2), 16, default));
        var seen = _recorder.Stop();

        var claimed = claims.SelectMany(c => c).ToList();
        claimed.Count.ShouldBe(40);
        claimed.Select(j => j.Id).Distinct().Count().ShouldBe(40); // none taken twice
        seen.Commands.Count.ShouldBe(2); // the recorder sees this harness's two claims: one statement each
        seen.Commands.ShouldAllBe(sql => sql.Contains("SKIP LOCKED") && sql.Contains("RETURNING"));
    }

    [Fact]
    public async Task A_runner_with_nothing_due_looks_once_with_one_statement()
    {
        _recorder.Start();
        var ran = await _core.Get<JobRunner>().RunDueAsync(default);
        var seen = _recorder.Stop();

        ran.ShouldBe(0);
        seen.Commands.ShouldHaveSingleItem().ShouldContain("SKIP LOCKED"); // no second, empty claim to learn there is nothing
    }

    private static async Task<(CheckoutAttempt Attempt, string SessionId)> OpenAttemptAsync(CoreHarness core)
    {
        var sessionId = "gs_" + Guid.NewGuid().ToString("n");
        return (await core.AttemptAsync(sessionId: sessionId), sessionId);
    }

    /// <summary>What the endpoint does with a verified delivery (its 200 or 503 follows from the status).</summary>
    private static Task<IngestionResult> ApplyAsync(CoreHarness core, GateEvent gateEvent) =>
        core.Get<WebhookIngestion>().ApplyAsync(
            new CheckedDelivery(new SignatureCheck(SignatureFailure.None, DateTimeOffset.UtcNow, 0), gateEvent, null, null), new DeliveryHints(null, null, null), default);

    private static GateEvent Completed(string eventId, string sessionId, string attemptId)
    {
        GateEvent.TryParse(Encoding.UTF8.GetBytes(GateEvents.Json(eventId, GateEventTypes.SessionCompleted, sessionId, attemptId, "tx_" + eventId)), out var gateEvent)
            .ShouldBeTrue();
        return gateEvent!;
    }
}
