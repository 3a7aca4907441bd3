using System.Text.RegularExpressions;
using Portal.E2E.Accessibility;
using Portal.E2E.Checkout;

namespace Portal.E2E.Admin;

/// <summary>The admin screens in Chromium against the real portal and the in-process sandbox, signed in as ada.</summary>
[Collection(PortalE2E.Collection)]
public sealed partial class AdminHealthE2ETests(PortalFixture portal)
{
    [Fact]
    public async Task The_health_page_draws_its_charts_after_a_checkout()
    {
        // A customer completes a buy: webhooks arrive and an attempt is fulfilled. Then the admin looks, in a fresh context.
        await portal.RunPageAsync(async customer =>
        {
            var journey = new CheckoutJourney(portal, customer);
            await journey.SignInAsync("alice", "/");
            await journey.StartAsync("on_ramp", "15");
            await journey.PressInHostedPageAsync("Complete");
            await journey.ExpectOutcomeAsync("success", "Your checkout is complete.");
        }, testName: nameof(The_health_page_draws_its_charts_after_a_checkout) + ".customer");

        await portal.RunPageAsync(ShowsChartsAsync);
    }

    private static async Task ShowsChartsAsync(IPage page)
    {
        await SignInAsAdminAsync(page, "/admin");

        var traffic = page.GetByTestId("traffic-chart");
        await Expect(traffic.Locator("[data-testid=traffic-chart-drawing] svg").First).ToBeVisibleAsync();
        await Expect(traffic.GetByTestId("traffic-chart-summary")).ToContainTextAsync(Processed());
        await Expect(page.GetByTestId("states-chart").Locator("svg").First).ToBeVisibleAsync();
        await Expect(page.GetByTestId("states-chart-summary")).ToContainTextAsync("fulfilled");
        await Expect(page.GetByTestId("funnel-chart").Locator("svg").First).ToBeVisibleAsync();
        await Expect(page.GetByTestId("latency-chart").Locator("svg").First).ToBeVisibleAsync();
        await Expect(page.GetByTestId("quota-text")).ToContainTextAsync("No session limit"); // the sandbox's default quota
        await Expect(page.GetByRole(AriaRole.Figure, new() { NameRegex = new Regex("^Webhook deliveries, last 24 hours") })).ToBeVisibleAsync();

        // Another window is a link: the charts follow it.
        await page.GetByRole(AriaRole.Link, new() { Name = "Show the last hour" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"/admin\?window=1h$"));
        await Expect(page.GetByRole(AriaRole.Figure, new() { NameRegex = new Regex("^Webhook deliveries, last hour") })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("traffic-chart").Locator("svg").First).ToBeVisibleAsync();
    }

    [Fact]
    public Task Adding_and_removing_an_allowed_origin_is_on_the_audit_record_with_the_lists_before_and_after() => portal.RunPageAsync(async page =>
    {
        var origin = $"https://shop-{Guid.NewGuid().ToString("n")[..8]}.example";
        await SignInAsAdminAsync(page, "/admin/allowed-domains");
        await Expect(page.GetByTestId("origin-list")).ToContainTextAsync(portal.BaseUrl);

        await page.GetByLabel("Origin", new() { Exact = true }).FillAsync(origin);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("allowed-domains-saved")).ToContainTextAsync("The change is in the audit log");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Remove {origin}" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("origin-list")).Not.ToContainTextAsync(origin);
        await Expect(page.GetByTestId("allowed-domains-saved")).ToBeVisibleAsync();

        await page.GotoAsync("/admin/audit?action=change_allowed_origins");
        await page.WaitForCircuitAsync();
        var grid = page.GetByTestId("audit-grid");
        var added = grid.Locator("tr").Filter(new() { HasText = $"added {origin}" });
        var removed = grid.Locator("tr").Filter(new() { HasText = $"removed {origin}" });
        await Expect(added).ToContainTextAsync("Ada");
        await Expect(added).ToContainTextAsync("changed");
        await Expect(added.GetByTestId("audit-request-id")).ToContainTextAsync("req_");
        await added.GetByText("Before and after").ClickAsync();
        await Expect(added.GetByTestId("audit-before")).Not.ToContainTextAsync(origin);
        await Expect(added.GetByTestId("audit-after")).ToContainTextAsync(origin);
        await Expect(removed.GetByTestId("audit-before")).ToContainTextAsync(origin, new() { UseInnerText = false });
        var axe = new AxeAudit(page);
        await axe.ScanAsync("audit log, an origin change's before and after open");
        axe.ShouldHaveNoSeriousViolations();
    });

    [Fact]
    public Task The_developer_tools_fit_a_phone_and_a_test_event_is_on_the_audit_record() => portal.RunPageAsync(async page =>
    {
        await SignInAsAdminAsync(page, "/admin/developer-tools");
        await page.GetByLabel("Or another type").FillAsync("partner.quota.warning");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send test event" }).ClickAsync();
        await Expect(page.GetByTestId("arrived")).ToContainTextAsync("arrived");
        await Expect(page.GetByLabel("Event to resend")).ToBeVisibleAsync();

        await page.SetViewportSizeAsync(375, 812);
        await Expect(page.GetByTestId("developer-tool-result")).ToBeVisibleAsync();
        (await page.ElementsWiderThanTheWindowAsync()).ShouldBeEmpty("at 375 px");
        var axe = new AxeAudit(page);
        await axe.ScanAsync("developer tools at 375 px");
        axe.ShouldHaveNoSeriousViolations();

        await page.GotoAsync("/admin/audit?action=send_test_event");
        await page.WaitForCircuitAsync();
        await Expect(page.GetByTestId("audit-grid")).ToContainTextAsync("partner.quota.warning");
    });

    [Fact]
    public Task Removing_the_portals_own_origin_asks_for_confirmation() => portal.RunPageAsync(async page =>
    {
        await SignInAsAdminAsync(page, "/admin/allowed-domains");
        var own = portal.BaseUrl;
        await Expect(page.GetByTestId("frame-ancestors-preview")).ToHaveTextAsync($"Content-Security-Policy: frame-ancestors {own}");

        await page.GetByRole(AriaRole.Button, new() { Name = $"Remove {own}" }).ClickAsync();

        var confirm = page.GetByRole(AriaRole.Alertdialog, new() { Name = "Remove this portal's own origin?" });
        await Expect(confirm).ToBeVisibleAsync();
        await Expect(confirm).ToContainTextAsync("checkouts will stop loading here");
        await Expect(confirm).ToContainTextAsync("127.0.0.1 refused to connect");
        await Expect(page.GetByTestId("origin-list")).ToContainTextAsync(own); // still listed

        // Nothing is saved here: the sandbox is shared by every browser test.
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Keep it" }).ClickAsync();

        await Expect(confirm).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("origin-list")).ToContainTextAsync(own);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Save" })).ToBeDisabledAsync();
    });

    [Fact]
    public Task A_test_event_sent_from_the_developer_tools_shows_up_as_received() => portal.RunPageAsync(async page =>
    {
        await SignInAsAdminAsync(page, "/admin");
        await page.GetByTestId("developer-tools-link").ClickAsync();
        await Expect(page).ToHaveURLAsync($"{portal.BaseUrl}/admin/developer-tools");

        await page.Locator(".mud-select").Filter(new() { HasText = "Event type" }).First.ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "gate_session.completed", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Send test event" }).ClickAsync();

        var result = page.GetByTestId("developer-tool-result");
        await Expect(result).ToContainTextAsync(new Regex("made up gate_session.completed evt_[0-9a-f]+"));
        var eventId = EventId().Match(await result.InnerTextAsync()).Value;
        await Expect(page.GetByTestId("arrived")).ToContainTextAsync($"{eventId} arrived");
        await Expect(page.GetByTestId("arrived")).ToContainTextAsync("processed (unknown_session)");
        await Expect(page.GetByTestId("received-deliveries")).ToContainTextAsync(eventId);
    });

    [Fact]
    public Task The_test_mode_banner_sits_above_the_content_on_a_phone() => portal.RunPageAsync(async page =>
    {
        await page.SetViewportSizeAsync(375, 740);
        await SignInAsAdminAsync(page, "/admin");

        var banner = page.GetByRole(AriaRole.Status, new() { Name = "Environment" });
        await Expect(banner).ToContainTextAsync("Test mode — sandbox, no real money");
        var heading = page.GetByRole(AriaRole.Heading, new() { Name = "Admin", Exact = true });
        var bar = (await page.Locator("header.mud-appbar").BoundingBoxAsync())!;
        var strip = (await banner.BoundingBoxAsync())!;
        var title = (await heading.BoundingBoxAsync())!;

        strip.Y.ShouldBeGreaterThanOrEqualTo(bar.Y + bar.Height - 1, "the banner is hidden under the app bar");
        (strip.Y + strip.Height).ShouldBeLessThanOrEqualTo(title.Y, "the banner covers the page heading");
        (strip.X + strip.Width).ShouldBeLessThanOrEqualTo(375.5f, "the banner is wider than the screen");
    });

    private static async Task SignInAsAdminAsync(IPage page, string returnUrl)
    {
        await page.GotoAsync($"/login?returnUrl={Uri.EscapeDataString(returnUrl)}");
        await page.SignInAsync("ada");
    }

    [GeneratedRegex(@"\d+ processed")]
    private static partial Regex Processed();

    [GeneratedRegex("evt_[0-9a-f]+")]
    private static partial Regex EventId();
}
