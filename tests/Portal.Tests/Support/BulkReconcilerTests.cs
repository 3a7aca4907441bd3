using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Attempts;
using Portal.Core.Audit;
using Portal.Core.Persistence;
using Portal.Core.Reads;
using Portal.Core.Records;
using Portal.Core.StaffActions;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Support;

/// <summary>Bulk reconcile on each store with 0Gate scripted: what a run takes, its counts, its bound, stopping it, and its limits.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "Disposed in IAsyncLifetime.DisposeAsync.")]
public abstract class BulkReconcilerTests : IAsyncLifetime
{
    protected abstract StoreProvider Provider { get; }

    private readonly ScriptedGate _gate = new();
    private CoreHarness _core = null!;

    public async Task InitializeAsync() => _core = await CoreHarness.StartAsync(gateBaseUrl: new Uri("http://gate.test/"), gateHandler: _gate, provider: Provider,
        settings: [new("RateLimits:BulkReconcileMaxAttempts", "3"), new("RateLimits:BulkReconcileConcurrency", "1"), new("RateLimits:BulkReconcileReadsPerSecond", "1000")]);

    public async Task DisposeAsync()
    {
        await _core.DisposeAsync();
        _gate.Dispose();
    }

    private static BulkReconcileRequest LastHour() =>
        new(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMinutes(5), BulkReconcileRequest.DefaultStatuses);

    [Fact]
    public async Task A_run_takes_the_oldest_matching_attempts_up_to_its_bound_and_counts_how_each_ended()
    {
        var completed = await AttemptAsync("gs_bulk_1", "completed");
        var open = await AttemptAsync("gs_bulk_2", "open");
        var unknown = await AttemptAsync("gs_bulk_3", null); // 0Gate answers 404
        var beyondBound = await AttemptAsync("gs_bulk_4", "completed");
        var closed = await AttemptAsync("gs_bulk_closed", "completed");
        await _core.CloseAsync(closed.Id, AttemptStatus.Fulfilled); // not open, not flagged: not reconcilable
        var old = await AttemptAsync("gs_bulk_old", "completed");
        await _core.WithDbAsync(db => db.Attempts.Where(a => a.Id == old.Id).ExecuteUpdateAsync(set => set.SetProperty(a => a.CreatedAt, DateTimeOffset.UtcNow.AddDays(-2))));

        var preview = await Bulk(b => b.PreviewAsync(LastHour(), default));
        var seen = new List<BulkReconcileProgress>();
        var summary = await Bulk(b => b.RunAsync(LastHour(), Staff.Sam, seen.Add, default));

        preview.ShouldBe(new BulkReconcilePreview(4, 3, 3));
        summary.Outcome.ShouldBe(BulkReconcileOutcome.Completed);
        summary.Progress.ShouldBe(new BulkReconcileProgress(summary.Progress!.RunId, 3, 3, 1, 1, 1));
        seen.Select(p => p.Done).ShouldBe([1, 2, 3]);
        (await Status(completed.Id)).ShouldBe(AttemptStatus.Fulfilled);
        (await Status(open.Id)).ShouldBe(AttemptStatus.RequiresAction);
        (await Status(unknown.Id)).ShouldBe(AttemptStatus.RequiresAction);
        (await Status(beyondBound.Id)).ShouldBe(AttemptStatus.RequiresAction); // the fourth waits for another run
        (await Status(old.Id)).ShouldBe(AttemptStatus.RequiresAction); // outside the window
        _gate.SessionReads.ShouldBe(2); // and one read of the session 0Gate does not know (404, not counted here)

        var log = await _core.Get<AuditLog>().QueryAsync(new AuditFilter { RunId = summary.Progress.RunId }, 0, 10, default);
        log.Entries.Select(e => (e.Action, e.Result, e.AttemptId)).ShouldBe(
        [
            (AuditAction.BulkReconcile, AuditResult.Completed, null),
            (AuditAction.Reconcile, AuditResult.Changed, completed.Id),
        ]);
        log.Entries[0].Detail.ShouldContain("(4 matched; the 3 oldest were taken): 3 of 3 read: 1 changed, 1 unchanged, 1 failed");
    }

    [Fact]
    public async Task Stopping_a_run_finishes_the_read_in_flight_takes_no_more_and_is_audited_as_stopped()
    {
        for (var i = 0; i < 3; i++)
        {
            await AttemptAsync($"gs_stop_{i}", "open");
        }

        using var stop = new CancellationTokenSource();
        var summary = await Bulk(b => b.RunAsync(LastHour(), Staff.Sam, _ => stop.Cancel(), stop.Token));

        summary.Outcome.ShouldBe(BulkReconcileOutcome.Stopped);
        summary.Progress!.Done.ShouldBe(1);
        summary.Progress.Total.ShouldBe(3);
        _gate.SessionReads.ShouldBe(1);
        var entry = (await _core.Get<AuditLog>().QueryAsync(new AuditFilter { Action = AuditAction.BulkReconcile }, 0, 10, default)).Entries.ShouldHaveSingleItem();
        entry.Result.ShouldBe(AuditResult.Stopped);
        entry.Detail.ShouldContain("1 of 3 read");
        _core.Get<BulkReconcileRuns>().Current.ShouldBeNull(); // the next run may start
    }

    [Fact]
    public async Task One_run_at_a_time_and_invalid_windows_are_refused_without_reading_0Gate()
    {
        await AttemptAsync("gs_one_at_a_time", "open");
        var runs = _core.Get<BulkReconcileRuns>();
        runs.TryStart("bulk_other", Staff.Ada, out _).ShouldBeTrue();

        var busy = await Bulk(b => b.RunAsync(LastHour(), Staff.Sam, null, default));
        runs.Finish("bulk_other");
        var backwards = await Bulk(b => b.RunAsync(LastHour() with { From = DateTimeOffset.UtcNow, To = DateTimeOffset.UtcNow.AddHours(-1) }, Staff.Sam, null, default));
        var noStatus = await Bulk(b => b.RunAsync(LastHour() with { Statuses = [] }, Staff.Sam, null, default));

        busy.Outcome.ShouldBe(BulkReconcileOutcome.AlreadyRunning);
        busy.Message.ShouldContain("by Ada");
        backwards.Outcome.ShouldBe(BulkReconcileOutcome.Invalid);
        noStatus.Outcome.ShouldBe(BulkReconcileOutcome.Invalid);
        _gate.SessionReads.ShouldBe(0);
    }

    private async Task<T> Bulk<T>(Func<BulkReconciler, Task<T>> use)
    {
        await using var scope = _core.Scope();
        return await use(scope.ServiceProvider.GetRequiredService<BulkReconciler>());
    }

    private async Task<CheckoutAttempt> AttemptAsync(string sessionId, string? gateStatus)
    {
        if (gateStatus is not null)
        {
            _gate.SetSession(sessionId, gateStatus, gateStatus == "completed" ? "tx_" + sessionId : null);
        }

        return await _core.AttemptAsync(sessionId: sessionId);
    }

    private async Task<AttemptStatus> Status(string attemptId) => (await _core.Get<AttemptReads>().GetAsync(attemptId, default))!.Status;
}

public sealed class BulkReconcilerTestsOnSqlite : BulkReconcilerTests
{
    protected override StoreProvider Provider => StoreProvider.Sqlite;
}

public sealed class BulkReconcilerTestsOnPostgreSql : BulkReconcilerTests
{
    protected override StoreProvider Provider => StoreProvider.PostgreSql;
}
