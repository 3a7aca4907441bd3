using Bunit;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using Portal.Components.Admin;
using Portal.Components.Common;
using Portal.Components.Layout;
using Portal.Core.Admin;
using Portal.Core.Attempts;
using Portal.Core.Checkout;
using Portal.Core.Records;
using Portal.Tests.Components;
using Portal.Tests.Support;

namespace Portal.Tests.Admin;

/// <summary>
/// The health page's parts rendered from what the Core services read from stored rows: the chart series and their
/// text equivalents, the alerts, the test-mode banner and the developer-tools link.
/// </summary>
public sealed class HealthComponentsTests : PortalComponentTest
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 34, 56, TimeSpan.Zero);

    [Fact]
    public async Task The_webhook_chart_stacks_stored_deliveries_per_hour_and_says_the_same_in_text()
    {
        var charts = await ChartsFromStoreAsync();

        var cut = Render<WebhookTrafficChart>(p => p.Add(c => c.Traffic, charts.Traffic).Add(c => c.Window, HealthWindow.Day));

        var chart = cut.FindComponent<MudChart<double>>().Instance;
        chart.ChartType.ShouldBe(ChartType.StackedBar);
        chart.ChartLabels.Length.ShouldBe(24);
        chart.ChartLabels[23].ShouldBe("12:00");
        (chart.ChartLabels[22], chart.ChartLabels[20]).ShouldBe(("", "09:00")); // every third hour: 24 labels would overlap
        chart.ChartSeries.Select(s => s.Name).ShouldBe(["applied", "unknown_session", "duplicate", "rejected: no_matching_signature"]);
        Values(chart, "applied")[23].ShouldBe(2);
        Values(chart, "applied")[21].ShouldBe(1);
        Values(chart, "rejected: no_matching_signature")[23].ShouldBe(3);
        chart.ChartOptions!.ChartPalette.Take(4).ShouldBe(["#2E7D32", "#546E7A", "#9E9E9E", "#C62828"]); // refusals in red, never a green like applied
        cut.FindAll("[data-testid=traffic-chart-drawing] svg").ShouldNotBeEmpty();
        cut.Find("[data-testid=traffic-chart-drawing]").GetAttribute("aria-hidden").ShouldBe("true");
        cut.Find("[data-testid=traffic-chart-summary]").TextContent.ShouldBe(
            "In the last 24 hours: 4 processed (applied 3, unknown_session 1), 1 duplicate, 3 rejected (no_matching_signature 3).");
        var lastRow = cut.FindAll("[data-testid=traffic-table] tbody tr")[23];
        lastRow.TextContent.ShouldContain("2026-11-23 12:00");
        lastRow.QuerySelectorAll("td").Select(td => td.TextContent).ShouldBe(["2", "0", "1", "3"]);
        cut.Find("figure").GetAttribute("aria-labelledby").ShouldBe("traffic-chart-caption");
    }

    [Fact]
    public async Task Each_chart_sizes_its_drawing_to_its_card()
    {
        var charts = await ChartsFromStoreAsync();

        var traffic = Render<WebhookTrafficChart>(p => p.Add(c => c.Traffic, charts.Traffic).Add(c => c.Window, HealthWindow.Day));
        var latency = Render<LatencyChart>(p => p.Add(c => c.Bins, charts.Latency).Add(c => c.Window, HealthWindow.Day));
        var states = Render<AttemptStatesChart>(p => p.Add(c => c.States, charts.AttemptStates).Add(c => c.Window, HealthWindow.Day));
        var funnel = Render<AttemptFunnelChart>(p => p.Add(c => c.Funnel, charts.Funnel).Add(c => c.Window, HealthWindow.Day));

        // Without it MudBlazor draws into a fixed 700 × 350 box, scaled down to the chart's height: 40 % of a wide card.
        foreach (var chart in new[] { traffic.FindComponent<MudChart<double>>(), latency.FindComponent<MudChart<double>>(), states.FindComponent<MudChart<double>>(), funnel.FindComponent<MudChart<double>>() })
        {
            chart.Instance.MatchBoundsToSize.ShouldBeTrue();
            chart.Instance.Width.ShouldBe("100%");
        }
    }

    [Theory]
    [InlineData(HealthWindow.Hour, false, 12)]
    [InlineData(HealthWindow.Hour, true, 4)]
    [InlineData(HealthWindow.Day, false, 8)]
    [InlineData(HealthWindow.Day, true, 4)]
    public void The_webhook_chart_labels_fewer_bars_on_a_narrow_card_always_ending_with_the_latest(HealthWindow window, bool narrow, int labelled)
    {
        var (from, count) = window.Buckets(Now);
        var starts = Enumerable.Range(0, count).Select(i => from + (window.BucketSize() * i)).ToList();
        var traffic = new WebhookTraffic(starts, window.BucketSize(), [new TrafficSeries(TrafficKind.Processed, "applied", new int[count])]);

        var cut = Render<WebhookTrafficChart>(p => p.Add(c => c.Traffic, traffic).Add(c => c.Window, window).Add(c => c.Narrow, narrow));

        var chart = cut.FindComponent<MudChart<double>>().Instance;
        chart.ChartLabels.Count(l => l.Length > 0).ShouldBe(labelled);
        chart.ChartLabels[^1].ShouldBe(window == HealthWindow.Hour ? "12:30" : "12:00");
        chart.ChartOptions.ShouldBeOfType<StackedBarChartOptions>().XAxisLabelRotation.ShouldBe(0);
    }

    [Fact]
    public void The_week_is_labelled_by_day_at_each_midnight_and_every_other_day_on_a_narrow_card()
    {
        var (from, count) = HealthWindow.Week.Buckets(Now);
        var starts = Enumerable.Range(0, count).Select(i => from + (HealthWindow.Week.BucketSize() * i)).ToList();
        var traffic = new WebhookTraffic(starts, HealthWindow.Week.BucketSize(), [new TrafficSeries(TrafficKind.Processed, "applied", new int[count])]);

        var wide = Render<WebhookTrafficChart>(p => p.Add(c => c.Traffic, traffic).Add(c => c.Window, HealthWindow.Week));
        var narrow = Render<WebhookTrafficChart>(p => p.Add(c => c.Traffic, traffic).Add(c => c.Window, HealthWindow.Week).Add(c => c.Narrow, true));

        // 14 bars of 12 hours ending with Nov 23 12:00 (Now is 12:34): Nov 17 00:00 to Nov 23 00:00 start a day.
        wide.FindComponent<MudChart<double>>().Instance.ChartLabels.Where(l => l.Length > 0)
            .ShouldBe(["Nov 17", "Nov 18", "Nov 19", "Nov 20", "Nov 21", "Nov 22", "Nov 23"]);
        narrow.FindComponent<MudChart<double>>().Instance.ChartLabels.Where(l => l.Length > 0)
            .ShouldBe(["Nov 17", "Nov 19", "Nov 21", "Nov 23"]);
    }

    [Fact]
    public async Task The_latency_chart_puts_short_labels_under_its_bars_turned_on_a_narrow_card_and_the_full_ones_in_its_table()
    {
        var charts = await ChartsFromStoreAsync();

        var wide = Render<LatencyChart>(p => p.Add(c => c.Bins, charts.Latency).Add(c => c.Window, HealthWindow.Day));
        var narrow = Render<LatencyChart>(p => p.Add(c => c.Bins, charts.Latency).Add(c => c.Window, HealthWindow.Day).Add(c => c.Narrow, true));

        var chart = wide.FindComponent<MudChart<double>>().Instance;
        chart.ChartLabels.ShouldBe(["ahead", "0–1 s", "1–2 s", "2–5 s", "5–30 s", "30 s–5 min", "> 5 min"]);
        chart.ChartOptions.ShouldBeOfType<BarChartOptions>().XAxisLabelRotation.ShouldBe(0);
        narrow.FindComponent<MudChart<double>>().Instance.ChartOptions.ShouldBeOfType<BarChartOptions>().XAxisLabelRotation.ShouldBe(45);
        wide.FindAll("[data-testid=latency-table] tbody th").Select(th => th.TextContent)
            .ShouldBe(["signed ahead of our clock", "0 s–1 s", "1 s–2 s", "2 s–5 s", "5 s–30 s", "30 s–5 min", "over 5 min"]);
    }

    [Fact]
    public async Task Latency_states_and_funnel_charts_draw_the_stored_rows()
    {
        var charts = await ChartsFromStoreAsync();

        var latency = Render<LatencyChart>(p => p.Add(c => c.Bins, charts.Latency).Add(c => c.Window, HealthWindow.Day));
        var states = Render<AttemptStatesChart>(p => p.Add(c => c.States, charts.AttemptStates).Add(c => c.Window, HealthWindow.Day));
        var funnel = Render<AttemptFunnelChart>(p => p.Add(c => c.Funnel, charts.Funnel).Add(c => c.Window, HealthWindow.Day));

        latency.FindComponent<MudChart<double>>().Instance.ChartSeries.Single().Data.Values.ShouldBe([0, 3, 0, 1, 0, 0, 0]);
        latency.Find("[data-testid=latency-chart-summary]").TextContent.ShouldStartWith("4 verified events from 0Gate's signature to stored: 0 s–1 s 3, 2 s–5 s 1.");

        var donut = states.FindComponent<MudChart<double>>().Instance;
        donut.ChartType.ShouldBe(ChartType.Donut);
        donut.ChartLabels.ShouldBe(["requires action", "fulfilled"]); // the chips' words
        donut.ChartOptions!.ChartPalette.Take(2).ShouldBe([AttemptStatusDisplay.Hex(AttemptStatus.RequiresAction), AttemptStatusDisplay.Hex(AttemptStatus.Fulfilled)]);
        donut.ChartSeries.Single().Data.Values.ShouldBe([1, 1]);
        states.Find("[data-testid=states-chart-summary]").TextContent.ShouldBe("2 attempts changed in the last 24 hours, now: requires action 1, fulfilled 1.");
        states.FindAll("[data-testid=states-chart-drawing] svg").ShouldNotBeEmpty();

        funnel.FindComponent<MudChart<double>>().Instance.ChartSeries.Single().Data.Values.ShouldBe([2, 2, 1, 1]);
        funnel.Find("[data-testid=funnel-chart-summary]").TextContent.ShouldBe("2 started, 2 reached the hosted checkout (100 %), 1 closed, 1 fulfilled (50 %).");
    }

    [Fact]
    public void With_nothing_stored_the_charts_say_so_and_draw_nothing()
    {
        var empty = new WebhookTraffic([Now], TimeSpan.FromHours(1), []);

        var cut = Render<WebhookTrafficChart>(p => p.Add(c => c.Traffic, empty).Add(c => c.Window, HealthWindow.Hour));

        cut.Find("[data-testid=traffic-chart-summary]").TextContent.ShouldBe("No webhook deliveries in the last hour.");
        cut.FindAll("svg").ShouldBeEmpty();
    }

    [Fact]
    public async Task An_alert_shows_when_its_condition_holds_and_nothing_shows_otherwise()
    {
        var time = new FakeTimeProvider(Now);
        await using var core = await CoreHarness.StartAsync(time);
        var alerts = core.Get<IntegrationAlerts>();

        var none = await alerts.EvaluateAsync(default);
        var quiet = Render<HealthAlerts>(p => p.Add(c => c.Alerts, none));
        quiet.Markup.Trim().ShouldBeEmpty();

        await core.WithDbAsync(async db =>
        {
            var tally = new RejectedDeliveryTally(RejectedDeliveryTally.MinuteOf(Now.AddMinutes(-2)), "no_matching_signature");
            for (var i = 0; i < 30; i++)
            {
                tally.Add(0, Now.AddMinutes(-2));
            }

            db.RejectedDeliveryTallies.Add(tally);
            return await db.SaveChangesAsync();
        });

        var spike = await alerts.EvaluateAsync(default);
        var raised = Render<HealthAlerts>(p => p.Add(c => c.Alerts, spike));

        var alert = raised.Find("[data-testid=alert-rejected-spike]");
        alert.GetAttribute("role").ShouldBe("alert");
        alert.TextContent.ShouldContain("Rejected signatures are spiking");
        alert.TextContent.ShouldContain("30 deliveries failed the signature check in the last 15 min");
        raised.FindAll("[data-testid=alert-deliveries-stopped]").ShouldBeEmpty();
    }

    [Fact]
    public void The_test_mode_banner_is_a_status_on_every_page_in_test_and_absent_in_live()
    {
        var test = Render<EnvironmentBanner>(p => p.Add(c => c.Environment, "test"));
        var live = Render<EnvironmentBanner>(p => p.Add(c => c.Environment, "live"));

        var banner = test.Find("[data-testid=environment-banner]");
        banner.GetAttribute("role").ShouldBe("status");
        banner.GetAttribute("aria-label").ShouldBe("Environment");
        banner.TextContent.ShouldContain("Test mode — sandbox, no real money");
        live.Markup.Trim().ShouldBeEmpty();
    }

    [Fact]
    public void Developer_tools_are_linked_in_test_mode_only()
    {
        var test = Render<AdminNav>(p => p.Add(c => c.DeveloperToolsAvailable, true));
        var live = Render<AdminNav>(p => p.Add(c => c.DeveloperToolsAvailable, false));

        test.Find("[data-testid=developer-tools-link]").GetAttribute("href").ShouldBe("/admin/developer-tools");
        live.FindAll("[data-testid=developer-tools-link]").ShouldBeEmpty();
        live.Markup.ShouldNotContain("developer-tools");
        live.Markup.ShouldContain("/admin/allowed-domains");
    }

    [Fact]
    public void The_window_picker_marks_the_shown_window_and_links_the_others()
    {
        var cut = Render<HealthWindowPicker>(p => p.Add(c => c.Selected, HealthWindow.Week));

        var links = cut.FindAll("a");
        links.Select(a => a.GetAttribute("href")).ShouldBe(["/admin?window=1h", "/admin?window=24h", "/admin?window=7d"]);
        links.Select(a => a.GetAttribute("aria-current")).ShouldBe([null, null, "true"]);
    }

    /// <summary>
    /// Stored rows for the day window ending at <see cref="Now"/>: four processed events (latencies 0.3–3 s), a repeat,
    /// three refused signatures, and two attempts started three hours ago (one still open, one fulfilled).
    /// </summary>
    private static async Task<IntegrationCharts> ChartsFromStoreAsync()
    {
        var time = new FakeTimeProvider(Now.AddHours(-3));
        await using var core = await CoreHarness.StartAsync(time);
        await core.AttemptAsync("acct_open", sessionId: "gs_open");
        var closed = await core.AttemptAsync("acct_done", sessionId: "gs_done");
        await core.CloseAsync(closed.Id, AttemptStatus.Fulfilled, "tx_done");
        time.Advance(TimeSpan.FromHours(3));
        await core.WithDbAsync(async db =>
        {
            db.ProcessedEvents.AddRange(
                new ProcessedEvent("evt_1", "gate_session.created", Now.AddHours(-2), Now.AddHours(-2).AddSeconds(-3)) { Outcome = EventOutcome.Applied },
                new ProcessedEvent("evt_2", "gate_session.completed", Now.AddMinutes(-20), Now.AddMinutes(-20).AddMilliseconds(-300)) { Outcome = EventOutcome.Applied },
                new ProcessedEvent("evt_3", "gate_session.completed", Now.AddMinutes(-10), Now.AddMinutes(-10).AddMilliseconds(-300)) { Outcome = EventOutcome.Applied },
                new ProcessedEvent("evt_4", "gate_session.failed", Now.AddHours(-2), Now.AddHours(-2).AddMilliseconds(-500)) { Outcome = EventOutcome.UnknownSession });
            var tally = new RejectedDeliveryTally(RejectedDeliveryTally.MinuteOf(Now.AddMinutes(-5)), "no_matching_signature");
            tally.Add(-1, Now.AddMinutes(-5));
            tally.Add(-1, Now.AddMinutes(-5));
            tally.Add(-1, Now.AddMinutes(-5));
            db.RejectedDeliveryTallies.Add(tally);
            return await db.SaveChangesAsync();
        });
        await core.Get<AttemptWriter>().RecordAsync(
            new TimelineEntry(closed.Id, TimelineKind.EventDuplicate, "Duplicate delivery", Now.AddMinutes(-1)) { EventId = "evt_3" }, default);

        return await core.Get<HealthCharts>().GetAsync(HealthWindow.Day, default);
    }

    private static double[] Values(MudChart<double> chart, string series) =>
        [.. chart.ChartSeries.Single(s => s.Name == series).Data.Values];
}
