using Bunit;
using Portal.Components.Admin;
using Portal.Core.Admin;
using Portal.Core.Gate;
using Portal.Tests.Components;

namespace Portal.Tests.Admin;

/// <summary>The admin overview's alerts read from 0Gate's answers and the page's counts: quota, 0Gate down, confirming too long.</summary>
public sealed class AlertsFromReadingsTests : PortalComponentTest
{
    private static readonly GateReachability Up = new(true, TimeSpan.FromMilliseconds(40), "req_up", null);
    private static readonly TimeSpan Fifteen = TimeSpan.FromMinutes(15);

    [Fact]
    public void All_is_well_raises_nothing()
    {
        IntegrationAlerts.FromReadings(Up, Quota(used: 3, limit: 21, warningAt: 17), 0, Fifteen).ShouldBeEmpty();
        IntegrationAlerts.FromReadings(Up, Quota(used: 500, limit: 0, warningAt: 0), 0, Fifteen).ShouldBeEmpty(); // unlimited
    }

    [Fact]
    public void A_used_up_quota_is_urgent_and_says_what_to_do()
    {
        var alert = IntegrationAlerts.FromReadings(Up, Quota(used: 21, limit: 21, warningAt: 17), 0, Fifteen).ShouldHaveSingleItem();

        alert.Kind.ShouldBe(IntegrationAlertKind.QuotaExhausted);
        alert.Urgent.ShouldBeTrue();
        alert.Detail.ShouldContain("21 of 21 sessions used");
        alert.Detail.ShouldContain("Ask 0Gate to raise the limit");
    }

    [Fact]
    public void A_quota_at_its_warning_level_or_a_warning_event_warns()
    {
        IntegrationAlerts.FromReadings(Up, Quota(used: 17, limit: 21, warningAt: 17), 0, Fifteen).ShouldHaveSingleItem().Kind.ShouldBe(IntegrationAlertKind.QuotaWarning);
        var fromEvent = new QuotaLevel(QuotaSource.Events, null, null, "partner.quota.warning", DateTimeOffset.UnixEpoch, null);
        var warning = IntegrationAlerts.FromReadings(Up, fromEvent, 0, Fifteen).ShouldHaveSingleItem();
        (warning.Kind, warning.Urgent).ShouldBe((IntegrationAlertKind.QuotaWarning, false));
        var exhausted = fromEvent with { LatestEventType = "partner.quota.exhausted" };
        IntegrationAlerts.FromReadings(Up, exhausted, 0, Fifteen).ShouldHaveSingleItem().Kind.ShouldBe(IntegrationAlertKind.QuotaExhausted);
    }

    [Fact]
    public void Zero_gate_down_and_attempts_confirming_too_long_each_say_what_to_do()
    {
        var down = new GateReachability(false, TimeSpan.FromSeconds(5), "req_down", "0Gate did not answer in time");

        var alerts = IntegrationAlerts.FromReadings(down, null, 3, Fifteen);

        alerts.Select(a => a.Kind).ShouldBe([IntegrationAlertKind.GateUnreachable, IntegrationAlertKind.ConfirmingTooLong]);
        alerts[0].Detail.ShouldContain("req_down");
        alerts[0].Detail.ShouldContain("press Check again");
        alerts[1].Detail.ShouldContain("3 attempt(s) have been processing for more than 15 min");
        alerts[1].ActionHref.ShouldBe("/support/attempts?view=confirming_too_long");
    }

    [Fact]
    public void The_alerts_render_with_their_action_link()
    {
        var alerts = IntegrationAlerts.FromReadings(Up, Quota(used: 21, limit: 21, warningAt: 17), 2, Fifteen);

        var cut = Render<HealthAlerts>(p => p.Add(c => c.Alerts, alerts));

        cut.Find("[data-testid=alert-quota-exhausted]").TextContent.ShouldContain("0Gate session quota is used up");
        cut.Find("[data-testid=alert-confirming-too-long] a").GetAttribute("href").ShouldBe("/support/attempts?view=confirming_too_long");
    }

    private static QuotaLevel Quota(int used, int limit, int warningAt) =>
        new(QuotaSource.Gate, new GateQuota(limit, used, warningAt), "req_quota", null, null, null);
}
