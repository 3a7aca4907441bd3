using Microsoft.Extensions.Time.Testing;
using Portal.Core.Admin;
using Portal.Core.Gate;
using Portal.Core.Persistence;
using Portal.Core.Records;
using Portal.Core.Webhooks;
using Portal.Tests.Sandbox;
using Portal.Tests.Support;

namespace Portal.Tests.Admin;

/// <summary>The secrets panel (fingerprints and their last use, during a rotation) and the quota level's sources.</summary>
public abstract class WebhookSecretsAndQuotaTests(StoreProvider provider)
{
    private const string Current = "whsec_core_harness";
    private const string Previous = "whsec_rotated_out_soon";
    private const string Removed = "whsec_long_gone";
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Each_configured_secret_shows_when_it_last_verified_and_which_verified_the_latest_event()
    {
        await using var core = await CoreHarness.StartAsync(new FakeTimeProvider(Now), provider: provider, settings: [new("Gate:WebhookSecrets:1", Previous)]);
        await AddEventsAsync(core,
            ("evt_ancient", Now.AddDays(-40), WebhookSecretFingerprint.Of(Previous)), // beyond the 30-day look-back
            ("evt_previous", Now.AddHours(-5), WebhookSecretFingerprint.Of(Previous)),
            ("evt_current_1", Now.AddHours(-3), WebhookSecretFingerprint.Of(Current)),
            ("evt_current_2", Now.AddHours(-1), WebhookSecretFingerprint.Of(Current)),
            ("evt_unknown_old", Now.AddHours(-2), null));

        var status = await core.Get<IntegrationHealth>().GetWebhookSecretsAsync(default);

        status.Secrets.Select(s => (s.Fingerprint, s.Current, s.LastVerifiedAt)).ShouldBe(
        [
            (WebhookSecretFingerprint.Of(Current), true, (DateTimeOffset?)Now.AddHours(-1)),
            (WebhookSecretFingerprint.Of(Previous), false, Now.AddHours(-5)),
        ]);
        status.Latest.ShouldBe(new LatestVerification("evt_current_2", "gate_session.created", Now.AddHours(-1), WebhookSecretFingerprint.Of(Current), Configured: true));
        status.ToString().ShouldNotContain("whsec_");
    }

    [Fact]
    public async Task A_latest_event_verified_by_a_secret_no_longer_configured_says_so_and_an_unused_secret_has_no_date()
    {
        await using var core = await CoreHarness.StartAsync(new FakeTimeProvider(Now), provider: provider, settings: [new("Gate:WebhookSecrets:1", Previous)]);
        await AddEventsAsync(core, ("evt_removed", Now.AddMinutes(-5), WebhookSecretFingerprint.Of(Removed)));

        var status = await core.Get<IntegrationHealth>().GetWebhookSecretsAsync(default);

        status.Secrets.ShouldAllBe(s => s.LastVerifiedAt == null);
        status.Latest!.Configured.ShouldBeFalse();
        status.Latest.Fingerprint.ShouldBe(WebhookSecretFingerprint.Of(Removed));
    }

    [Fact]
    public async Task Quota_is_the_latest_event_when_0Gate_is_down_and_unknown_without_one()
    {
        // Real time: the 0Gate client's retry delays run on the clock, and 0Gate is a closed port here.
        await using var core = await CoreHarness.StartAsync(provider: provider);
        var health = core.Get<IntegrationHealth>();
        var now = DateTimeOffset.UtcNow;

        var unknown = await health.GetQuotaAsync(default);

        unknown.Source.ShouldBe(QuotaSource.Unknown);
        unknown.Reported.ShouldBeNull();
        unknown.Problem.ShouldBe("0Gate could not be reached to read the quota.");

        await core.WithDbAsync(async db =>
        {
            db.ProcessedEvents.Add(new ProcessedEvent("evt_q_warn", GateEventTypes.QuotaWarning, now.AddHours(-2), now.AddHours(-2)) { Outcome = EventOutcome.Integration });
            db.ProcessedEvents.Add(new ProcessedEvent("evt_q_done", GateEventTypes.QuotaExhausted, now.AddHours(-1), now.AddHours(-1)) { Outcome = EventOutcome.Integration });
            return await db.SaveChangesAsync();
        });

        var fromEvents = await health.GetQuotaAsync(default);

        fromEvents.Source.ShouldBe(QuotaSource.Events);
        fromEvents.LatestEventType.ShouldBe(GateEventTypes.QuotaExhausted);
        (fromEvents.LatestEventAt!.Value - now.AddHours(-1)).Duration().ShouldBeLessThan(TimeSpan.FromMilliseconds(1));
    }

    private static Task<int> AddEventsAsync(CoreHarness core, params (string Id, DateTimeOffset At, string? Fingerprint)[] events) =>
        core.WithDbAsync(async db =>
        {
            foreach (var (id, at, fingerprint) in events)
            {
                db.ProcessedEvents.Add(new ProcessedEvent(id, "gate_session.created", at, at) { Outcome = EventOutcome.Applied, SecretFingerprint = fingerprint });
            }

            return await db.SaveChangesAsync();
        });
}

public sealed class WebhookSecretsAndQuotaTestsOnSqlite() : WebhookSecretsAndQuotaTests(StoreProvider.Sqlite)
{
    [Fact]
    public async Task Quota_reported_by_0Gate_is_the_level_with_its_request_id()
    {
        await using var sandbox = await SandboxTestHost.StartAsync(new Dictionary<string, string?> { ["Sandbox:Quota:Limit"] = "5" });
        await using var core = await CoreHarness.StartAsync(gateBaseUrl: sandbox.BaseAddress, secretKey: SandboxTestHost.SecretKey, publishableKey: SandboxTestHost.PublishableKey);
        for (var i = 0; i < 4; i++)
        {
            await sandbox.CreateSessionAsync();
        }

        var level = await core.Get<IntegrationHealth>().GetQuotaAsync(default);

        level.Source.ShouldBe(QuotaSource.Gate);
        level.Reported.ShouldBe(new Portal.Core.Gate.GateQuota(Limit: 5, Used: 4, WarningAt: 4));
        level.PercentUsed.ShouldBe(80);
        level.RequestId.ShouldStartWith("req_");
    }
}

public sealed class WebhookSecretsAndQuotaTestsOnPostgreSql() : WebhookSecretsAndQuotaTests(StoreProvider.PostgreSql);
