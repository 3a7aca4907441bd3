using Portal.E2E.Checkout;

namespace Portal.E2E.Accessibility;

/// <summary>
/// axe-core on every page of the portal, as each role sees it: anonymous, customer (alice), support (sam) and admin
/// (ada). Each page is scanned once its circuit is live and its content is shown; no page may have a serious or
/// critical violation. One test per role scans all of that role's pages and reports them together.
/// </summary>
[Collection(PortalE2E.Collection)]
public sealed class AxeTests(PortalFixture portal)
{
    /// <summary>Support's stuck lists: the same page as the list, under their own quick-view links.</summary>
    private static readonly string[] QuickViews = ["view-needs-review", "view-confirming-too-long", "view-abandoned"];

    [Fact]
    public Task Anonymous_pages_have_no_serious_violations() => portal.RunPageAsync(async page =>
    {
        var audit = new AxeAudit(page);

        await OpenAsync(page, "/");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await audit.ScanAsync("home, signed out");

        await OpenAsync(page, "/not-found");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "start page" })).ToBeVisibleAsync();
        await audit.ScanAsync("not found");

        await OpenAsync(page, "/no-such-page");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "start page" })).ToBeVisibleAsync();
        await audit.ScanAsync("unknown address");

        await page.GotoAsync("/Error"); // static: no circuit
        await Expect(page.GetByRole(AriaRole.Heading).First).ToBeVisibleAsync();
        await audit.ScanAsync("error");

        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in" }).First.ClickAsync();
        await Expect(page.GetByLabel("Username")).ToBeVisibleAsync();
        await audit.ScanAsync("sign-in form (dev provider)");

        audit.ShouldHaveNoSeriousViolations();
    });

    [Fact]
    public Task Customer_pages_have_no_serious_violations() => portal.RunPageAsync(async page =>
    {
        var audit = new AxeAudit(page);
        var journey = new CheckoutJourney(portal, page);
        await journey.SignInAsync("alice", "/");
        await Expect(page.GetByText("Recent checkouts")).ToBeVisibleAsync();
        await audit.ScanAsync("home, customer");

        await OpenAsync(page, "/checkout/new");
        await Expect(page.GetByText("What would you like to do?")).ToBeVisibleAsync();
        await audit.ScanAsync("start: choose a flow");

        foreach (var (flow, amount) in new[] { ("on_ramp", "40"), ("off_ramp", "40"), ("swap", "40") })
        {
            await OpenAsync(page, $"/checkout/new?flow={flow}");
            await Expect(page.GetByLabel("Amount")).ToBeVisibleAsync();
            await audit.ScanAsync($"start form {flow}");

            await page.GetByLabel("Amount").FillAsync("ten");
            await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
            await Expect(page.Locator(".mud-input-error").First).ToBeVisibleAsync();
            await audit.ScanAsync($"start form {flow}, amount refused");

            await page.GetByLabel("Amount").FillAsync(amount);
            await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = CheckoutJourney.ConfirmButton(flow) })).ToBeVisibleAsync();
            await audit.ScanAsync($"start review {flow}");
        }

        // The buy from the last review is opened, completed in the hosted page, then seen on every outcome page.
        var attemptId = await journey.StartAsync("on_ramp", "25");
        await audit.ScanAsync("hosted checkout");

        await journey.PressInHostedPageAsync("Complete");
        await journey.ExpectOutcomeAsync("success", "Your checkout is complete.");
        await Expect(page.GetByTestId("receipt")).ToBeVisibleAsync();
        await audit.ScanAsync("return with receipt");

        await OpenAsync(page, $"/checkout/{attemptId}/status");
        await Expect(page.GetByTestId("receipt")).ToBeVisibleAsync();
        await audit.ScanAsync("status");

        var cancelled = await portal.Server.StartCheckoutAsync("alice");
        await OpenAsync(page, $"/checkout/{cancelled.Id}/cancel");
        await Expect(page.GetByTestId("outcome")).ToBeVisibleAsync();
        await audit.ScanAsync("cancel outcome");

        await OpenAsync(page, $"/checkout/{cancelled.Id}/status");
        await Expect(page.GetByTestId("outcome")).ToBeVisibleAsync();
        await audit.ScanAsync("status, open attempt");

        await OpenAsync(page, "/checkout/attempts");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = attemptId })).ToBeVisibleAsync();
        await audit.ScanAsync("my attempts");

        await OpenAsync(page, "/checkout/attempts?status=requires_action&kind=on_ramp");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My attempts" })).ToBeVisibleAsync();
        await audit.ScanAsync("my attempts, filtered");

        var size = page.ViewportSize!;
        await page.SetViewportSizeAsync(375, 812);
        await OpenAsync(page, "/checkout/attempts");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = attemptId })).ToBeVisibleAsync();
        await audit.ScanAsync("my attempts, 375 px");
        await page.SetViewportSizeAsync(size.Width, size.Height);

        await OpenAsync(page, "/checkout/new?flow=bogus");
        await Expect(page.GetByTestId("unknown-flow")).ToBeVisibleAsync();
        await audit.ScanAsync("start: unknown flow");

        await page.GotoAsync("/admin"); // not for customers: the static access-denied page
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Access denied" })).ToBeVisibleAsync();
        await audit.ScanAsync("access denied");

        audit.ShouldHaveNoSeriousViolations();
    });

    [Fact]
    public Task Support_pages_have_no_serious_violations() => portal.RunPageAsync(async page =>
    {
        var audit = new AxeAudit(page);
        var attempt = await portal.Server.StartCheckoutAsync("bob");
        await page.GotoAsync("/support/attempts");
        await page.SignInAsync("sam");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = attempt.Id })).ToBeVisibleAsync();
        await audit.ScanAsync("attempts");

        await OpenAsync(page, $"/support/attempts?q={attempt.Id[..14]}&status=requires_action");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = attempt.Id })).ToBeVisibleAsync();
        await audit.ScanAsync("attempts, filtered");

        foreach (var view in QuickViews)
        {
            await page.GetByTestId(view).ClickAsync();
            await Expect(page.GetByTestId(view)).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-button-filled"));
            await Expect(page.GetByTestId("attempt-grid")).ToBeVisibleAsync();
            await audit.ScanAsync($"attempts, {view}");
        }

        await OpenAsync(page, $"/support/attempts/{attempt.Id}");
        await Expect(page.GetByTestId("attempt-timeline")).ToBeVisibleAsync();
        await audit.ScanAsync("attempt detail");

        await page.GetByLabel("Reason for cancelling").FillAsync("Accessibility check");
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel session" }).ClickAsync();
        await Expect(page.GetByTestId("support-action-result")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("attempt-audit")).ToContainTextAsync("Accessibility check");
        await audit.ScanAsync("attempt detail after an action");

        await OpenAsync(page, "/support/bulk-reconcile");
        await Expect(page.GetByTestId("bulk-matching")).ToBeVisibleAsync();
        await audit.ScanAsync("bulk reconcile");

        await page.Locator(".mud-select").Filter(new() { HasText = "Statuses" }).First.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Option).First).ToBeVisibleAsync();
        await audit.ScanAsync("bulk reconcile, statuses open");
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.GetByRole(AriaRole.Option)).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex(@"^Reconcile [1-9]\d* attempt") }).ClickAsync();
        await Expect(page.GetByTestId("bulk-confirm")).ToBeVisibleAsync();
        await audit.ScanAsync("bulk reconcile, confirming");
        await page.GetByRole(AriaRole.Button, new() { Name = "Back" }).ClickAsync(); // nothing is run

        audit.ShouldHaveNoSeriousViolations();
    });

    [Fact]
    public Task Admin_pages_have_no_serious_violations() => portal.RunPageAsync(async page =>
    {
        var audit = new AxeAudit(page);
        await page.GotoAsync("/login?returnUrl=%2Fadmin");
        await page.SignInAsync("ada");
        await Expect(page.GetByTestId("health-charts")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("quota-text")).ToBeVisibleAsync();
        await audit.ScanAsync("admin health");

        await OpenAsync(page, "/admin/allowed-domains");
        await Expect(page.GetByTestId("origin-list")).ToBeVisibleAsync();
        await audit.ScanAsync("allowed domains");

        await page.GetByRole(AriaRole.Button, new() { Name = $"Remove {portal.BaseUrl}" }).ClickAsync();
        var confirm = page.GetByRole(AriaRole.Alertdialog);
        await Expect(confirm).ToBeVisibleAsync();
        await audit.ScanAsync("allowed domains, removing the own origin");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Keep it" }).ClickAsync(); // nothing is saved
        await Expect(confirm).ToHaveCountAsync(0);

        await OpenAsync(page, "/admin/audit");
        await Expect(page.GetByTestId("audit-grid")).ToBeVisibleAsync();
        await audit.ScanAsync("audit log");

        await OpenAsync(page, "/admin/developer-tools");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Send test event" })).ToBeVisibleAsync();
        await audit.ScanAsync("developer tools");

        await page.Locator(".mud-select").Filter(new() { HasText = "Event type" }).First.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Option).First).ToBeVisibleAsync();
        await audit.ScanAsync("developer tools, event types open");
        await page.GetByRole(AriaRole.Option, new() { Name = "gate_session.completed", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Send test event" }).ClickAsync();
        await Expect(page.GetByTestId("arrived")).ToContainTextAsync("arrived");
        await audit.ScanAsync("developer tools, a test event arrived");

        await OpenAsync(page, "/admin/developer-tools/mail");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Mail catcher" })).ToBeVisibleAsync();
        await audit.ScanAsync("developer tools, mail catcher");

        audit.ShouldHaveNoSeriousViolations();
    });

    [Fact]
    public Task Home_and_the_support_attempt_page_have_no_serious_violations_on_a_phone() => portal.RunPageAsync(async page =>
    {
        await page.SetViewportSizeAsync(375, 812);
        var audit = new AxeAudit(page);
        var attempt = await portal.Server.StartCheckoutAsync("alice");

        await OpenAsync(page, "/");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await audit.ScanAsync("home, signed out, 375 px");

        await page.GotoAsync($"/support/attempts/{attempt.Id}");
        await page.SignInAsync("sam");
        await Expect(page.GetByTestId("attempt-timeline")).ToBeVisibleAsync();
        await audit.ScanAsync("attempt detail, 375 px");

        await OpenAsync(page, "/");
        await page.GetByRole(AriaRole.Button, new() { Name = "Menu" }).ClickAsync(); // on a phone the name is in the menu
        await Expect(page.GetByTestId("app-bar-menu").GetByTestId("signed-in-user")).ToBeVisibleAsync();
        await audit.ScanAsync("home, support, app-bar menu open, 375 px");

        audit.ShouldHaveNoSeriousViolations();
    });

    private static async Task OpenAsync(IPage page, string url)
    {
        await page.GotoAsync(url);
        await page.WaitForCircuitAsync();
    }
}
