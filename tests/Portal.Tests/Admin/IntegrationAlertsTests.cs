using Microsoft.Extensions.Time.Testing;
using Portal.Core.Admin;
using Portal.Core.Persistence;
using Portal.Core.Records;
using Portal.Tests.Support;

namespace Portal.Tests.Admin;

/// <summary>The two alerts raise under their condition and stay quiet otherwise (defaults: 20 in 15 min, ×5; 30 min of silence).</summary>
public abstract class IntegrationAlertsTests(StoreProvider provider)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 30, TimeSpan.Zero);

    [Fact]
    public async Task A_burst_of_signature_failures_well_above_the_usual_rate_raises_the_spike_alert()
    {
        await using var core = await StartAsync(new FakeTimeProvider(Now));
        await AddTalliesAsync(core, (Now.AddMinutes(-3), "no_matching_signature", 15), (Now.AddMinutes(-8), "timestamp_out_of_tolerance", 10));

        var alert = (await EvaluateAsync(core)).ShouldHaveSingleItem();

        alert.Kind.ShouldBe(IntegrationAlertKind.RejectedSignaturesSpike);
        alert.Detail.ShouldContain("25 deliveries failed the signature check in the last 15 min; usually about 0 in that time.");
        alert.Detail.ShouldContain("Gate:WebhookSecrets");
    }

    [Fact]
    public async Task Few_failures_or_the_usual_rate_or_malformed_bodies_raise_nothing()
    {
        var time = new FakeTimeProvider(Now);
        await using var core = await StartAsync(time);
        await AddTalliesAsync(core, (Now.AddMinutes(-3), "no_matching_signature", 19), (Now.AddMinutes(-2), "malformed_body", 200));

        (await EvaluateAsync(core)).ShouldBeEmpty(); // 19 signature failures: under the minimum of 20

        // The previous day averaged 10 per 15 minutes: 30 now is only three times that.
        var baseline = Enumerable.Range(1, 96).Select(i => (Now.AddMinutes(-15 - (15 * i)), "no_matching_signature", 10)).ToArray();
        await AddTalliesAsync(core, [.. baseline, (Now.AddMinutes(-1), "no_matching_signature", 11)]);

        (await EvaluateAsync(core)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Silence_while_attempts_wait_on_0Gate_raises_deliveries_stopped()
    {
        var time = new FakeTimeProvider(Now.AddHours(-2));
        await using var core = await StartAsync(time);
        await AddEventAsync(core, "evt_last", Now.AddHours(-2));
        time.Advance(TimeSpan.FromMinutes(75)); // now − 45 min: a session opens, and 0Gate goes quiet
        await core.AttemptAsync("acct_waiting", sessionId: "gs_waiting");
        time.Advance(TimeSpan.FromMinutes(45));

        var alert = (await EvaluateAsync(core)).ShouldHaveSingleItem();

        alert.Kind.ShouldBe(IntegrationAlertKind.DeliveriesStopped);
        alert.Detail.ShouldStartWith("No verified webhook for 2 h, while 1 attempt(s) wait on 0Gate.");
    }

    [Fact]
    public async Task No_delivery_ever_with_an_attempt_waiting_is_an_alert_too()
    {
        var time = new FakeTimeProvider(Now.AddHours(-1));
        await using var core = await StartAsync(time);
        await core.AttemptAsync("acct_waiting", sessionId: "gs_waiting");
        time.Advance(TimeSpan.FromHours(1));

        (await EvaluateAsync(core)).ShouldHaveSingleItem().Detail.ShouldStartWith("No verified webhook has ever arrived, while 1 attempt(s) wait on 0Gate.");
    }

    [Fact]
    public async Task Quiet_is_fine_when_deliveries_came_after_the_attempts_moved_or_the_wait_is_still_short()
    {
        var time = new FakeTimeProvider(Now.AddHours(-3));
        await using var core = await StartAsync(time);
        await core.AttemptAsync("acct_answered", sessionId: "gs_answered"); // 0Gate answered it below
        await core.AttemptAsync("acct_pending"); // no session: nothing for 0Gate to say
        await AddEventAsync(core, "evt_after", Now.AddHours(-3).AddMinutes(1));
        time.Advance(TimeSpan.FromHours(3));

        (await EvaluateAsync(core)).ShouldBeEmpty();

        await core.AttemptAsync("acct_recent", sessionId: "gs_recent"); // 0Gate has had no time to answer yet
        time.Advance(TimeSpan.FromMinutes(10));

        (await EvaluateAsync(core)).ShouldBeEmpty();
    }

    private Task<CoreHarness> StartAsync(FakeTimeProvider time) => CoreHarness.StartAsync(time, provider: provider);

    private static Task<IReadOnlyList<IntegrationAlert>> EvaluateAsync(CoreHarness core) => core.Get<IntegrationAlerts>().EvaluateAsync(default);

    private static Task<int> AddTalliesAsync(CoreHarness core, params (DateTimeOffset At, string Reason, int Count)[] tallies) =>
        core.WithDbAsync(async db =>
        {
            foreach (var (at, reason, count) in tallies)
            {
                var tally = new RejectedDeliveryTally(RejectedDeliveryTally.MinuteOf(at), reason);
                for (var i = 0; i < count; i++)
                {
                    tally.Add(null, at);
                }

                db.RejectedDeliveryTallies.Add(tally);
            }

            return await db.SaveChangesAsync();
        });

    private static Task<int> AddEventAsync(CoreHarness core, string id, DateTimeOffset at) =>
        core.WithDbAsync(async db =>
        {
            db.ProcessedEvents.Add(new ProcessedEvent(id, "gate_session.created", at, at) { Outcome = EventOutcome.Applied });
            return await db.SaveChangesAsync();
        });
}

public sealed class IntegrationAlertsTestsOnSqlite() : IntegrationAlertsTests(StoreProvider.Sqlite);

public sealed class IntegrationAlertsTestsOnPostgreSql() : IntegrationAlertsTests(StoreProvider.PostgreSql);
