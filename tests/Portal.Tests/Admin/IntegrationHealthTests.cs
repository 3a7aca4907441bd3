using Microsoft.Extensions.Time.Testing;
using Portal.Core.Admin;
using Portal.Core.Checkout;
using Portal.Core.Records;
using Portal.Tests.Sandbox;
using Portal.Tests.Support;

namespace Portal.Tests.Admin;

public sealed class IntegrationHealthTests
{
    [Fact]
    public async Task Counts_webhook_outcomes_of_the_last_24_hours_and_lists_rejections_and_quota_events()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        await using var core = await CoreHarness.StartAsync(time);
        var now = time.GetUtcNow();
        await core.WithDbAsync(async db =>
        {
            db.ProcessedEvents.AddRange(
                Event("evt_old", "gate_session.completed", now.AddHours(-25), EventOutcome.Applied),
                Event("evt_1", "gate_session.completed", now.AddHours(-2), EventOutcome.Applied),
                Event("evt_2", "gate_session.created", now.AddHours(-1), EventOutcome.Applied),
                Event("evt_3", "gate_session.failed", now.AddMinutes(-30), EventOutcome.IgnoredAfterTerminal),
                Event("evt_q1", "partner.quota.warning", now.AddMinutes(-20), EventOutcome.Integration),
                Event("evt_q2", "partner.quota.exhausted", now.AddMinutes(-10), EventOutcome.Integration));
            db.RejectedDeliveries.AddRange(
                new RejectedDelivery("signature_mismatch", 812, new string('a', 64), -3, now.AddHours(-30)),
                new RejectedDelivery("timestamp_outside_tolerance", 640, new string('b', 64), 901, now.AddMinutes(-5)));
            var old = new RejectedDeliveryTally(RejectedDeliveryTally.MinuteOf(now.AddHours(-30)), "signature_mismatch");
            old.Add(-3, now.AddHours(-30));
            var recent = new RejectedDeliveryTally(RejectedDeliveryTally.MinuteOf(now.AddMinutes(-5)), "timestamp_outside_tolerance");
            recent.Add(901, now.AddMinutes(-5));
            recent.Add(905, now.AddMinutes(-5));
            db.RejectedDeliveryTallies.AddRange(old, recent);
            return await db.SaveChangesAsync();
        });
        var flagged = await core.AttemptAsync(sessionId: "gs_flag");
        await core.FlagForReviewAsync(flagged.Id);
        await core.AttemptAsync(sessionId: "gs_abandoned");
        var confirming = await core.AttemptAsync(sessionId: "gs_confirming");
        await core.Get<AttemptWriter>().UpdateAsync(confirming.Id, (a, at) => a.MarkReturned(at), default);
        time.Advance(TimeSpan.FromMinutes(31));

        var health = await core.Get<IntegrationHealth>().GetPortalHealthAsync(default);

        health.OutcomesSince.ToDictionary(o => o.Name, o => o.Count).ShouldBe(new Dictionary<string, int>
        {
            ["applied"] = 2,
            ["ignored_after_terminal"] = 1,
            ["integration"] = 2,
        }, ignoreOrder: true);
        health.ProcessedSince.ShouldBe(5);
        health.LastEventReceivedAt.ShouldBe(now.AddMinutes(-10));
        health.RejectedSince.ShouldBe(2); // counted per minute and reason; the 30-hour-old one is outside the window
        health.RecentRejected.Select(r => (r.Reason, r.BodyLength, r.TimestampSkewSeconds))
            .ShouldBe([("timestamp_outside_tolerance", 640, (long?)901), ("signature_mismatch", 812, (long?)-3)]);
        health.QuotaEvents.Select(q => q.EventType).ShouldBe(["partner.quota.exhausted", "partner.quota.warning"]);
        health.NeedsReview.ShouldBe(1);
        health.ConfirmingTooLong.ShouldBe(1); // returned, unconfirmed for 31 minutes
        health.Abandoned.ShouldBe(2); // never returned from 0Gate (the flagged one too): 31 minutes untouched
    }

    [Fact]
    public async Task An_empty_store_is_healthy_and_quiet()
    {
        await using var core = await CoreHarness.StartAsync();

        var health = await core.Get<IntegrationHealth>().GetPortalHealthAsync(default);

        health.OutcomesSince.ShouldBeEmpty();
        health.LastEventReceivedAt.ShouldBeNull();
        health.RecentRejected.ShouldBeEmpty();
        health.QuotaEvents.ShouldBeEmpty();
    }

    [Fact]
    public async Task Environment_shows_test_or_live_and_only_the_publishable_key_prefix()
    {
        await using var test = await CoreHarness.StartAsync();
        await using var live = await CoreHarness.StartAsync(secretKey: "sk_live_secret_value", publishableKey: "pk_live_public_value");

        test.Get<IntegrationHealth>().Environment.ShouldBe(new GateEnvironment("test", "pk_test_", "http://127.0.0.1:9"));
        var liveEnvironment = live.Get<IntegrationHealth>().Environment;
        liveEnvironment.Environment.ShouldBe("live");
        liveEnvironment.PublishableKeyPrefix.ShouldBe("pk_live_");
        liveEnvironment.ToString().ShouldNotContain("public_value");
        liveEnvironment.ToString().ShouldNotContain("secret_value");
    }

    [Fact]
    public async Task With_0Gate_up_the_check_is_timed_and_its_delivery_records_are_listed()
    {
        await using var sandbox = await SandboxTestHost.StartAsync();
        await using var core = await CoreHarness.StartAsync(gateBaseUrl: sandbox.BaseAddress, secretKey: SandboxTestHost.SecretKey, publishableKey: SandboxTestHost.PublishableKey);
        await sandbox.CreateSessionAsync();
        var created = (await sandbox.EventsAsync("gate_session.created")).Single().Str("id");
        var health = core.Get<IntegrationHealth>();

        var reachability = await health.CheckGateAsync(default);
        var deliveries = await health.GetGateDeliveriesAsync(default);

        reachability.Reachable.ShouldBeTrue(reachability.Problem);
        reachability.RequestId.ShouldStartWith("req_");
        reachability.Elapsed.ShouldBeGreaterThan(TimeSpan.Zero);
        deliveries.Problem.ShouldBeNull();
        var delivery = deliveries.Items.ShouldHaveSingleItem();
        delivery.EventId.ShouldBe(created);
        delivery.EventType.ShouldBe("gate_session.created");
        delivery.Status.ShouldNotBeNullOrEmpty();
        delivery.CreatedAt.ShouldNotBeNull();
    }

    [Fact]
    public async Task With_0Gate_down_the_check_and_the_delivery_records_degrade_to_messages()
    {
        await using var core = await CoreHarness.StartAsync();
        var health = core.Get<IntegrationHealth>();

        var reachability = await health.CheckGateAsync(default);
        var deliveries = await health.GetGateDeliveriesAsync(default);

        reachability.Reachable.ShouldBeFalse();
        reachability.Problem.ShouldBe("0Gate could not be reached.");
        deliveries.Items.ShouldBeEmpty();
        deliveries.Problem!.ShouldContain("not available right now");
    }

    private static ProcessedEvent Event(string id, string type, DateTimeOffset at, EventOutcome outcome) =>
        new(id, type, at, at) { Outcome = outcome };
}
