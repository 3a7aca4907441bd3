using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Portal.Core.Attempts;
using Portal.Core.Jobs;
using Portal.Core.Persistence;
using Portal.Core.Reads;
using Portal.Core.Records;
using Portal.Tests.Infrastructure;
using Portal.Tests.Support;

namespace Portal.Tests.Jobs;

/// <summary>Work after a commit survives a crash: the job row commits with the change, and a claim is only a lease.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "Disposed in IAsyncLifetime.DisposeAsync.")]
public abstract class JobRunnerTests : IAsyncLifetime
{
    /// <summary>The store these tests run on; each runs on SQLite and on PostgreSQL.</summary>
    protected abstract StoreProvider Provider { get; }

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private readonly ScriptedGate _gate = new();
    private CoreHarness _core = null!;

    public async Task InitializeAsync() => _core = await CoreHarness.StartAsync(_time, gateHandler: _gate, provider: Provider); // no host: nothing runs jobs on its own

    public async Task DisposeAsync()
    {
        await _core.DisposeAsync();
        _gate.Dispose();
    }

    [Fact]
    public async Task A_fulfilment_whose_process_died_before_the_fetch_still_gets_its_receipt_on_the_next_run()
    {
        var attempt = await FulfilledAsync();
        (await Jobs()).ShouldHaveSingleItem().CompletedAt.ShouldBeNull(); // committed with the fulfilment, not yet run

        (await _core.Get<JobRunner>().RunDueAsync(default)).ShouldBe(1);

        (await _core.Get<AttemptReads>().GetReceiptAsync(attempt.Id, default)).ShouldNotBeNull();
        (await Jobs()).ShouldHaveSingleItem().CompletedAt.ShouldNotBeNull();
        (await _core.Get<JobRunner>().RunDueAsync(default)).ShouldBe(0);
    }

    [Fact]
    public async Task A_job_claimed_by_an_instance_that_died_is_taken_again_when_its_lease_ends()
    {
        var attempt = await FulfilledAsync();
        await _core.Get<IStoreWriter>().WriteAsync(async (db, ct) =>
        {
            (await db.Jobs.SingleAsync(ct)).Claim("instance-that-died", _time.GetUtcNow().AddMinutes(2));
            return true;
        }, default);

        (await _core.Get<JobRunner>().RunDueAsync(default)).ShouldBe(0); // still leased
        _time.Advance(TimeSpan.FromMinutes(3));
        (await _core.Get<JobRunner>().RunDueAsync(default)).ShouldBe(1);

        (await _core.Get<AttemptReads>().GetReceiptAsync(attempt.Id, default)).ShouldNotBeNull();
    }

    [Fact]
    public async Task A_failing_job_backs_off_and_gives_up_after_its_last_try()
    {
        await FulfilledAsync();
        // A refusal rather than a 5xx, whose retries would wait on this test's frozen clock.
        _gate.FailTransactions(int.MaxValue, System.Net.HttpStatusCode.NotFound);

        for (var i = 0; i < JobRunner.MaxTries; i++)
        {
            (await _core.Get<JobRunner>().RunDueAsync(default)).ShouldBe(1);
            (await _core.Get<JobRunner>().RunDueAsync(default)).ShouldBe(0); // not again before its back-off
            _time.Advance(TimeSpan.FromMinutes(11));
        }

        var job = (await Jobs()).ShouldHaveSingleItem();
        job.GaveUp.ShouldBeTrue();
        job.Tries.ShouldBe(JobRunner.MaxTries);
        (await _core.Get<JobRunner>().RunDueAsync(default)).ShouldBe(0);
    }

    private Task<List<BackgroundJob>> Jobs() => _core.WithDbAsync(db => db.Jobs.AsNoTracking().ToListAsync());

    private async Task<CheckoutAttempt> FulfilledAsync()
    {
        var attempt = await _core.AttemptAsync(sessionId: "gs_" + Guid.NewGuid().ToString("n"));
        await _core.CloseAsync(attempt.Id, AttemptStatus.Fulfilled, txRefId: "tx_job");
        return attempt;
    }
}

public sealed class JobRunnerTestsOnSqlite : JobRunnerTests
{
    protected override StoreProvider Provider => StoreProvider.Sqlite;
}

public sealed class JobRunnerTestsOnPostgreSql : JobRunnerTests
{
    protected override StoreProvider Provider => StoreProvider.PostgreSql;
}
