using Microsoft.Extensions.Time.Testing;
using Portal.Core.Admin;
using Portal.Core.Attempts;
using Portal.Core.Checkout;
using Portal.Core.Persistence;
using Portal.Core.Records;
using Portal.Tests.Support;

namespace Portal.Tests.Admin;

/// <summary>The chart aggregates over seeded rows, computed by each provider's SQL.</summary>
public abstract class HealthChartsTests(StoreProvider provider)
{
    // 12:34:56 UTC: the day window's hourly buckets run from 13:00 the day before to 13:00 today (24 of them).
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 34, 56, 300, TimeSpan.Zero);

    [Fact]
    public async Task Webhook_traffic_is_counted_per_hour_by_outcome_duplicates_and_rejection_reason()
    {
        var time = new FakeTimeProvider(Now);
        await using var core = await CoreHarness.StartAsync(time, provider: provider);
        await core.WithDbAsync(async db =>
        {
            db.ProcessedEvents.AddRange(
                Event("evt_old", Now.AddHours(-25), EventOutcome.Applied),
                Event("evt_first_hour", Now.AddHours(-23), EventOutcome.Recorded), // 13:34 yesterday: bucket 0
                Event("evt_a", Now.AddHours(-2), EventOutcome.Applied), // 10:34: bucket 21
                Event("evt_b", Now.AddHours(-2).AddMinutes(5), EventOutcome.UnknownSession),
                Event("evt_c", Now.AddMinutes(-10), EventOutcome.Applied), // 12:24: bucket 23
                Event("evt_d", Now.AddMinutes(-9), EventOutcome.Applied));
            db.RejectedDeliveryTallies.AddRange(
                Tally(Now.AddHours(-30), "no_matching_signature", 4),
                Tally(Now.AddHours(-3), "timestamp_out_of_tolerance", 2), // 09:34: bucket 20
                Tally(Now.AddMinutes(-5), "no_matching_signature", 3), // bucket 23
                Tally(Now.AddMinutes(-4), "no_matching_signature", 1));
            return await db.SaveChangesAsync();
        });
        // Timeline lines before the window (found past by the id search), then duplicates inside it.
        for (var i = 0; i < 37; i++)
        {
            await Line(core, TimelineKind.Note, Now.AddHours(-40).AddMinutes(i));
        }

        await Line(core, TimelineKind.EventDuplicate, Now.AddHours(-26));
        await Line(core, TimelineKind.EventDuplicate, Now.AddHours(-1)); // 11:34: bucket 22
        await Line(core, TimelineKind.Note, Now.AddHours(-1));
        await Line(core, TimelineKind.EventDuplicate, Now.AddMinutes(-59));
        await Line(core, TimelineKind.EventDuplicate, Now.AddMinutes(-1)); // bucket 23

        var charts = await core.Get<HealthCharts>().GetAsync(HealthWindow.Day, default);

        charts.From.ShouldBe(new DateTimeOffset(2026, 11, 22, 13, 0, 0, TimeSpan.Zero));
        charts.To.ShouldBe(new DateTimeOffset(2026, 11, 23, 13, 0, 0, TimeSpan.Zero));
        var traffic = charts.Traffic;
        traffic.BucketStarts.Count.ShouldBe(24);
        traffic.BucketStarts[23].ShouldBe(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        traffic.Series.Select(s => s.Label).ShouldBe(["applied", "recorded", "unknown_session", "duplicate", "rejected: no_matching_signature", "rejected: timestamp_out_of_tolerance"]);
        Counts(traffic, "applied").ShouldBe(new Dictionary<int, int> { [21] = 1, [23] = 2 });
        Counts(traffic, "recorded").ShouldBe(new Dictionary<int, int> { [0] = 1 });
        Counts(traffic, "unknown_session").ShouldBe(new Dictionary<int, int> { [21] = 1 });
        Counts(traffic, "duplicate").ShouldBe(new Dictionary<int, int> { [22] = 2, [23] = 1 });
        Counts(traffic, "rejected: no_matching_signature").ShouldBe(new Dictionary<int, int> { [23] = 4 });
        Counts(traffic, "rejected: timestamp_out_of_tolerance").ShouldBe(new Dictionary<int, int> { [20] = 2 });
        traffic.Total(TrafficKind.Processed).ShouldBe(5);
        traffic.Total(TrafficKind.Duplicate).ShouldBe(3);
        traffic.Total(TrafficKind.Rejected).ShouldBe(6);
    }

    [Fact]
    public async Task The_hour_window_has_five_minute_buckets_and_leaves_older_rows_out()
    {
        var time = new FakeTimeProvider(Now);
        await using var core = await CoreHarness.StartAsync(time, provider: provider);
        await core.WithDbAsync(async db =>
        {
            db.ProcessedEvents.AddRange(
                Event("evt_before", Now.AddMinutes(-70), EventOutcome.Applied),
                Event("evt_early", Now.AddMinutes(-59), EventOutcome.Applied), // 11:35:56: bucket 0 (11:35)
                Event("evt_late", Now.AddSeconds(-30), EventOutcome.Applied)); // 12:34:26: bucket 11 (12:30)
            return await db.SaveChangesAsync();
        });

        var charts = await core.Get<HealthCharts>().GetAsync(HealthWindow.Hour, default);

        charts.From.ShouldBe(new DateTimeOffset(2026, 11, 23, 11, 35, 0, TimeSpan.Zero));
        charts.Traffic.BucketStarts.Count.ShouldBe(12);
        Counts(charts.Traffic, "applied").ShouldBe(new Dictionary<int, int> { [0] = 1, [11] = 1 });
    }

    [Fact]
    public async Task Ingest_latency_is_binned_from_signature_time_to_stored()
    {
        var time = new FakeTimeProvider(Now);
        await using var core = await CoreHarness.StartAsync(time, provider: provider);
        var received = Now.AddMinutes(-20);
        await core.WithDbAsync(async db =>
        {
            db.ProcessedEvents.AddRange(
                Event("evt_ahead", received, EventOutcome.Applied, signedAt: received.AddSeconds(2)),
                Event("evt_fast", received, EventOutcome.Applied, signedAt: received.AddMilliseconds(-300)),
                Event("evt_fast2", received, EventOutcome.Applied, signedAt: received.AddMilliseconds(-999)),
                Event("evt_1s", received, EventOutcome.Applied, signedAt: received.AddMilliseconds(-1500)),
                Event("evt_3s", received, EventOutcome.Applied, signedAt: received.AddSeconds(-3)),
                Event("evt_40s", received, EventOutcome.Applied, signedAt: received.AddSeconds(-40)),
                Event("evt_6min", received, EventOutcome.Applied, signedAt: received.AddMinutes(-6)),
                Event("evt_outside", Now.AddDays(-2), EventOutcome.Applied, signedAt: Now.AddDays(-2).AddSeconds(-3)));
            return await db.SaveChangesAsync();
        });

        var charts = await core.Get<HealthCharts>().GetAsync(HealthWindow.Day, default);

        charts.Latency.Select(b => (b.Label, b.AxisLabel, b.Count)).ShouldBe(
        [
            ("signed ahead of our clock", "ahead", 1),
            ("0 s–1 s", "0–1 s", 2),
            ("1 s–2 s", "1–2 s", 1),
            ("2 s–5 s", "2–5 s", 1),
            ("5 s–30 s", "5–30 s", 0),
            ("30 s–5 min", "30 s–5 min", 1),
            ("over 5 min", "> 5 min", 1),
        ]);
    }

    [Fact]
    public async Task Attempts_that_changed_are_counted_by_state_and_those_started_follow_the_funnel()
    {
        var time = new FakeTimeProvider(Now.AddHours(-30));
        await using var core = await CoreHarness.StartAsync(time, provider: provider);
        var older = await core.AttemptAsync("acct_old");
        await core.AttemptAsync("acct_untouched", sessionId: "gs_untouched");
        time.Advance(TimeSpan.FromHours(27)); // now − 3 h
        await core.Get<AttemptWriter>().AttachSessionAsync(older.Id, "gs_older", "req_1", default); // started before, changed in the window
        await core.AttemptAsync("acct_a", sessionId: "gs_a");
        await core.AttemptAsync("acct_b");
        var fulfilled = await core.AttemptAsync("acct_c", sessionId: "gs_c");
        await core.CloseAsync(fulfilled.Id, AttemptStatus.Fulfilled, "tx_c");
        var failed = await core.AttemptAsync("acct_d", sessionId: "gs_d");
        await core.CloseAsync(failed.Id, AttemptStatus.Failed);
        time.Advance(TimeSpan.FromHours(3));

        var charts = await core.Get<HealthCharts>().GetAsync(HealthWindow.Day, default);

        charts.AttemptStates.Select(s => (s.Name, s.Count)).ShouldBe(
            [("pending_session", 1), ("requires_action", 2), ("fulfilled", 1), ("failed", 1)]);
        charts.Funnel.ShouldBe(new AttemptFunnel(Started: 4, Hosted: 3, Closed: 2, Fulfilled: 1));
    }

    [Fact]
    public async Task An_empty_store_draws_empty_charts()
    {
        await using var core = await CoreHarness.StartAsync(new FakeTimeProvider(Now), provider: provider);

        var charts = await core.Get<HealthCharts>().GetAsync(HealthWindow.Week, default);

        charts.Traffic.BucketStarts.Count.ShouldBe(14);
        charts.Traffic.Series.ShouldBeEmpty();
        charts.Latency.Sum(b => b.Count).ShouldBe(0);
        charts.AttemptStates.ShouldBeEmpty();
        charts.Funnel.ShouldBe(new AttemptFunnel(0, 0, 0, 0));
    }

    private static Dictionary<int, int> Counts(WebhookTraffic traffic, string label) =>
        traffic.Series.Single(s => s.Label == label).Counts
            .Select((count, bucket) => (count, bucket))
            .Where(x => x.count > 0)
            .ToDictionary(x => x.bucket, x => x.count);

    private static ProcessedEvent Event(string id, DateTimeOffset receivedAt, EventOutcome outcome, DateTimeOffset? signedAt = null) =>
        new(id, "gate_session.completed", receivedAt, signedAt ?? receivedAt.AddSeconds(-1)) { Outcome = outcome };

    private static RejectedDeliveryTally Tally(DateTimeOffset at, string reason, int count)
    {
        var tally = new RejectedDeliveryTally(RejectedDeliveryTally.MinuteOf(at), reason);
        for (var i = 0; i < count; i++)
        {
            tally.Add(0, at);
        }

        return tally;
    }

    private static Task Line(CoreHarness core, TimelineKind kind, DateTimeOffset at) =>
        core.Get<AttemptWriter>().RecordAsync(new TimelineEntry(null, kind, kind.ToString(), at) { EventId = "evt_line" }, default);
}

public sealed class HealthChartsTestsOnSqlite() : HealthChartsTests(StoreProvider.Sqlite);

public sealed class HealthChartsTestsOnPostgreSql() : HealthChartsTests(StoreProvider.PostgreSql);
