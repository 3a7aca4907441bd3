using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Portal.Core.Attempts;
using Portal.Core.Checkout;
using Portal.Core.Persistence;
using Portal.Core.Reads;
using Portal.Core.Records;
using Portal.Tests.Infrastructure;
using Portal.Tests.Support;


namespace Portal.Tests.Checkout;

/// <summary>Nothing stays stuck: the sweeper reads what waits too long from 0Gate and applies only 0Gate's answer. Time is a fake clock.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "Disposed in IAsyncLifetime.DisposeAsync.")]
public abstract class StuckAttemptSweeperTests : IAsyncLifetime
{
    /// <summary>The store these tests run on; each runs on SQLite and on PostgreSQL.</summary>
    protected abstract StoreProvider Provider { get; }

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
    private readonly ScriptedGate _gate = new();
    private CoreHarness _core = null!;

    private StuckAttemptSweeper Sweeper => _core.Get<StuckAttemptSweeper>();

    private AttemptWriter Writer => _core.Get<AttemptWriter>();

    public async Task InitializeAsync() => _core = await CoreHarness.StartAsync(_time, gateHandler: _gate, provider: Provider);

    public async Task DisposeAsync()
    {
        await _core.DisposeAsync();
        _gate.Dispose();
    }

    [Fact]
    public async Task An_attempt_confirming_too_long_is_read_and_closed_as_0Gate_says()
    {
        var attempt = await ReturnedAsync("gs_done");
        _gate.SetSession("gs_done", "completed", "tx_swept");
        _time.Advance(TimeSpan.FromMinutes(14));
        (await Sweeper.SweepOnceAsync(default)).SessionsRead.ShouldBe(0); // not too long yet

        _time.Advance(TimeSpan.FromMinutes(2));
        var summary = await Sweeper.SweepOnceAsync(default);

        summary.Closed.ShouldBe(1);
        var stored = (await _core.Get<AttemptReads>().GetAsync(attempt.Id, default))!;
        stored.Status.ShouldBe(AttemptStatus.Fulfilled);
        stored.ClosedBy.ShouldBe(AttemptCloser.Sweeper);
        stored.TxRefId.ShouldBe("tx_swept");
        var timeline = await _core.Get<AttemptReads>().GetTimelineAsync(attempt.Id, default);
        timeline.ShouldContain(e => e.Kind == TimelineKind.GateRequest && e.Summary.StartsWith("0Gate session read (stuck-attempt sweeper: confirming for 16 min): completed", StringComparison.Ordinal));
        timeline.Single(e => e.ToStatus == AttemptStatus.Fulfilled).FromStatus.ShouldBe(AttemptStatus.Processing);
    }

    [Fact]
    public async Task While_0Gate_keeps_the_session_open_the_sweeper_reads_again_later_not_every_minute()
    {
        var attempt = await ReturnedAsync("gs_open");
        _time.Advance(TimeSpan.FromMinutes(16));

        (await Sweeper.SweepOnceAsync(default)).StillOpen.ShouldBe(1);
        _time.Advance(TimeSpan.FromMinutes(1));
        (await Sweeper.SweepOnceAsync(default)).SessionsRead.ShouldBe(0); // backing off
        _time.Advance(TimeSpan.FromMinutes(15));
        (await Sweeper.SweepOnceAsync(default)).SessionsRead.ShouldBe(1);

        _gate.SessionReads.ShouldBe(2);
        (await _core.Get<AttemptReads>().GetAsync(attempt.Id, default))!.Status.ShouldBe(AttemptStatus.Processing);
        (await _core.Get<AttemptReads>().GetTimelineAsync(attempt.Id, default))
            .Count(e => e.Kind == TimelineKind.GateRequest && e.Summary.EndsWith(": open", StringComparison.Ordinal)).ShouldBe(2); // every run leaves a line
    }

    [Fact]
    public async Task An_abandoned_checkout_is_read_at_its_session_expiry_and_closed_expired()
    {
        var attempt = await Writer.CreateAsync(new NewAttempt("acct-away", CheckoutFlow.OffRamp, 40m, "EUR", "USDC", "base"), default);
        _gate.SetSession("gs_away", "open");
        await Writer.AttachSessionAsync(attempt.Id, "gs_away", null, default, sessionExpiresAt: _time.GetUtcNow().AddHours(2));
        _time.Advance(TimeSpan.FromHours(1));
        (await Sweeper.SweepOnceAsync(default)).SessionsRead.ShouldBe(0); // waiting for the customer is not stuck

        _time.Advance(TimeSpan.FromHours(1));
        _gate.SetSession("gs_away", "expired"); // 0Gate expires sessions lazily, on the first read past expires_at
        await Sweeper.SweepOnceAsync(default);

        var stored = (await _core.Get<AttemptReads>().GetAsync(attempt.Id, default))!;
        stored.Status.ShouldBe(AttemptStatus.Expired);
        stored.ClosedBy.ShouldBe(AttemptCloser.Sweeper);
    }

    [Fact]
    public async Task An_attempt_never_opened_at_0Gate_expires_after_a_day_without_asking_0Gate()
    {
        var unopened = await Writer.CreateAsync(new NewAttempt("acct-down", CheckoutFlow.Swap, 1m, "ETH", "USDC", "base"), default);
        _time.Advance(TimeSpan.FromHours(23));
        (await Sweeper.SweepOnceAsync(default)).ExpiredUnopened.ShouldBe(0);

        _time.Advance(TimeSpan.FromHours(2));
        (await Sweeper.SweepOnceAsync(default)).ExpiredUnopened.ShouldBe(1);

        (await _core.Get<AttemptReads>().GetAsync(unopened.Id, default))!.Status.ShouldBe(AttemptStatus.Expired);
        _gate.SessionReads.ShouldBe(0);
    }

    [Fact]
    public async Task When_0Gate_answers_with_an_error_the_sweeper_notes_it_and_tries_again_later()
    {
        var attempt = await ReturnedAsync("gs_down");
        _time.Advance(TimeSpan.FromMinutes(16));
        // A refusal (here: the key is not accepted) rather than a 5xx, whose retries would wait on this test's frozen clock.
        _gate.FailNext(100, HttpStatusCode.Unauthorized, "api_key_invalid");

        (await Sweeper.SweepOnceAsync(default)).Unreachable.ShouldBe(1);
        (await Sweeper.SweepOnceAsync(default)).Unreachable.ShouldBe(0); // not hammered while it is down

        _gate.Reset();
        _gate.SetSession("gs_down", "failed");
        _time.Advance(TimeSpan.FromMinutes(15));
        (await Sweeper.SweepOnceAsync(default)).Closed.ShouldBe(1);
        (await _core.Get<AttemptReads>().GetAsync(attempt.Id, default))!.Status.ShouldBe(AttemptStatus.Failed);
        (await _core.Get<AttemptReads>().GetTimelineAsync(attempt.Id, default))
            .ShouldContain(e => e.Kind == TimelineKind.GateRequest && e.Summary.StartsWith("0Gate session read failed (stuck-attempt sweeper", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Maintenance_ages_out_refused_delivery_samples_and_counts_and_caps_the_samples()
    {
        var now = _time.GetUtcNow();
        await _core.WithDbAsync(db =>
        {
            db.RejectedDeliveries.Add(new RejectedDelivery("no_matching_signature", 10, new string('a', 64), 0, now.AddDays(-8)));
            for (var i = 0; i < 1005; i++)
            {
                db.RejectedDeliveries.Add(new RejectedDelivery("no_matching_signature", 10, new string('b', 64), 0, now.AddMinutes(-i)));
            }

            db.RejectedDeliveryTallies.Add(new RejectedDeliveryTally(RejectedDeliveryTally.MinuteOf(now.AddDays(-31)), "no_matching_signature"));
            db.RejectedDeliveryTallies.Add(new RejectedDeliveryTally(RejectedDeliveryTally.MinuteOf(now), "no_matching_signature"));
            return db.SaveChangesAsync();
        });

        await _core.Get<StoreMaintenance>().RunAsync(default);

        (await _core.WithDbAsync(db => db.RejectedDeliveries.CountAsync())).ShouldBe(1000);
        (await _core.WithDbAsync(db => db.RejectedDeliveries.MinAsync(r => r.ReceivedAt))).ShouldBeGreaterThan(now.AddDays(-1));
        (await _core.WithDbAsync(db => db.RejectedDeliveryTallies.CountAsync())).ShouldBe(1);
    }

    private async Task<CheckoutAttempt> ReturnedAsync(string sessionId)
    {
        _gate.SetSession(sessionId, "open");
        var attempt = await _core.AttemptAsync(sessionId: sessionId);
        return (await Writer.UpdateAsync(attempt.Id, (a, at) => a.MarkReturned(at), default)).Attempt!;
    }
}

public sealed class StuckAttemptSweeperTestsOnSqlite : StuckAttemptSweeperTests
{
    protected override StoreProvider Provider => StoreProvider.Sqlite;
}

public sealed class StuckAttemptSweeperTestsOnPostgreSql : StuckAttemptSweeperTests
{
    protected override StoreProvider Provider => StoreProvider.PostgreSql;
}
