using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Checkout;
using Portal.Core.Gate;
using Portal.E2E.Infrastructure.Visits;
using Xunit.Abstractions;

namespace Portal.E2E.ReadOnce;

/// <summary>
/// Every data page reads once per visit: one full page load (prerendering, then the circuit) runs no store command
/// and sends no 0Gate request twice (docs/architecture.md, "Pages read once"). Each test signs in as the page's role,
/// then records one visit of the page until the circuit is live and the page shows what it read.
/// </summary>
[Collection(PortalE2E.Collection)]
public sealed class PagesReadOnceTests(PortalFixture portal, ITestOutputHelper output)
{
    private const string Capabilities = "GET /v1/capabilities";
    private const string Partner = "GET /v1/partner";

    [Fact]
    public Task Home_reads_once() => portal.RunPageAsync(async page =>
    {
        await SignInAsync(page, "alice", "/checkout/attempts");
        ForgetCachedGateAnswers();

        var visit = await page.RecordVisitAsync(portal.Server, "/", async p =>
            await Expect(p.GetByTestId("attempt-list").Or(p.GetByTestId("no-attempts"))).ToBeVisibleAsync());

        Check(visit, [Capabilities]);
    });

    [Fact]
    public Task Start_form_reads_once() => portal.RunPageAsync(async page =>
    {
        await SignInAsync(page, "alice", "/checkout/attempts");
        ForgetCachedGateAnswers();

        var visit = await page.RecordVisitAsync(portal.Server, "/checkout/new?flow=on_ramp", async p =>
            await Expect(p.GetByLabel("Amount")).ToBeVisibleAsync());

        Check(visit, [Capabilities, Partner], readsStore: false);
    });

    [Fact]
    public Task My_attempts_reads_once() => portal.RunPageAsync(async page =>
    {
        await portal.Server.StartCheckoutAsync("alice");
        await SignInAsync(page, "alice", "/");
        ForgetCachedGateAnswers();

        var visit = await page.RecordVisitAsync(portal.Server, "/checkout/attempts", async p =>
            await Expect(p.GetByTestId("attempts-range")).ToBeVisibleAsync());

        Check(visit, [Capabilities]);
    });

    [Fact]
    public Task Hosted_checkout_reads_once() => portal.RunPageAsync(async page =>
    {
        var attempt = await portal.Server.StartCheckoutAsync("alice");
        await SignInAsync(page, "alice", "/");
        ForgetCachedGateAnswers();

        var visit = await page.RecordVisitAsync(portal.Server, $"/checkout/{attempt.Id}", async p =>
            await Expect(p.FrameLocator("iframe[data-testid=gate-frame]").GetByRole(AriaRole.Button, new() { Name = "Complete" })).ToBeVisibleAsync());

        Check(visit, [$"GET /v1/gate_sessions/{attempt.GateSessionId}", Partner]);
    });

    [Fact]
    public Task Admin_overview_reads_once() => portal.RunPageAsync(async page =>
    {
        await SignInAsync(page, "ada", "/admin/audit");

        var visit = await page.RecordVisitAsync(portal.Server, "/admin", async p =>
        {
            await Expect(p.GetByTestId("gate-reachability")).ToContainTextAsync("Reachable");
            await Expect(p.GetByTestId("health-charts")).ToBeVisibleAsync();
            await Expect(p.GetByTestId("quota-text")).ToBeVisibleAsync();
        });

        Check(visit, [Capabilities, Partner, "GET /v1/webhook_deliveries"]);
    });

    [Fact]
    public Task Allowed_domains_reads_once() => portal.RunPageAsync(async page =>
    {
        await SignInAsync(page, "ada", "/admin/audit");

        var visit = await page.RecordVisitAsync(portal.Server, "/admin/allowed-domains", async p =>
            await Expect(p.GetByTestId("origin-list")).ToContainTextAsync(portal.BaseUrl));

        Check(visit, [Partner], readsStore: false);
    });

    [Fact]
    public Task Audit_log_reads_once() => portal.RunPageAsync(async page =>
    {
        await SignInAsync(page, "ada", "/admin");

        var visit = await page.RecordVisitAsync(portal.Server, "/admin/audit", async p =>
            await Expect(p.GetByTestId("audit-grid")).ToBeVisibleAsync());

        Check(visit);
    });

    [Fact]
    public Task Developer_tools_read_once() => portal.RunPageAsync(async page =>
    {
        await SignInAsync(page, "ada", "/admin");

        var visit = await page.RecordVisitAsync(portal.Server, "/admin/developer-tools", async p =>
            await Expect(p.GetByTestId("developer-tools")).ToBeVisibleAsync());

        Check(visit);
    });

    [Fact]
    public Task Support_list_reads_once() => portal.RunPageAsync(async page =>
    {
        await portal.Server.StartCheckoutAsync("alice");
        await SignInAsync(page, "sam", "/support/bulk-reconcile");

        var visit = await page.RecordVisitAsync(portal.Server, "/support/attempts", async p =>
            await Expect(p.GetByTestId("attempt-grid").Locator("tbody tr").First).ToBeVisibleAsync());

        Check(visit);
    });

    [Fact]
    public Task Support_attempt_page_reads_once() => portal.RunPageAsync(async page =>
    {
        var attempt = await portal.Server.StartCheckoutAsync("alice");
        await SignInAsync(page, "sam", "/support/bulk-reconcile");

        var visit = await page.RecordVisitAsync(portal.Server, $"/support/attempts/{attempt.Id}", async p =>
            await Expect(p.GetByTestId("fact-attempt-id")).ToHaveTextAsync(attempt.Id));

        Check(visit);
    });

    [Fact]
    public Task Bulk_reconcile_reads_once() => portal.RunPageAsync(async page =>
    {
        await SignInAsync(page, "sam", "/support/attempts");

        var visit = await page.RecordVisitAsync(portal.Server, "/support/bulk-reconcile", async p =>
            await Expect(p.GetByTestId("bulk-matching")).ToBeVisibleAsync());

        Check(visit);
    });

    [Fact]
    public Task Status_page_reads_once() => portal.RunPageAsync(async page =>
    {
        var attempt = await portal.Server.StartCheckoutAsync("alice");
        await SignInAsync(page, "alice", "/");

        var visit = await RecordOutcomeVisitAsync(page, $"/checkout/{attempt.Id}/status");

        Check(visit);
    });

    [Fact]
    public Task Return_page_reads_once() => portal.RunPageAsync(async page =>
    {
        var attempt = await portal.Server.StartCheckoutAsync("alice");
        await SignInAsync(page, "alice", "/");

        var visit = await RecordOutcomeVisitAsync(page, $"/checkout/{attempt.Id}/return");

        Check(visit);
    });

    [Fact]
    public Task Cancel_page_asks_0Gate_once() => portal.RunPageAsync(async page =>
    {
        var attempt = await portal.Server.StartCheckoutAsync("alice");
        await SignInAsync(page, "alice", "/");

        var visit = await RecordOutcomeVisitAsync(page, $"/checkout/{attempt.Id}/cancel");

        Check(visit, [$"GET /v1/gate_sessions/{attempt.GateSessionId}"]);
    });

    /// <summary>
    /// An outcome page is static around one interactive island: the visit ends once the island's circuit has made its
    /// first look (through the status cache), the last read a visit can cause.
    /// </summary>
    private async Task<RecordedVisit> RecordOutcomeVisitAsync(IPage page, string path)
    {
        using var islandStarted = new OutcomeIslandStart();
        return await page.RecordVisitAsync(portal.Server, path, async p =>
        {
            await Expect(p.GetByTestId("outcome")).ToBeVisibleAsync();
            await islandStarted.Task.WaitAsync(BrowserFixture.DefaultTimeout);
        });
    }

    /// <summary>Writes what the visit did to the test's output (<c>--logger "console;verbosity=detailed"</c>), then checks it.</summary>
    private void Check(RecordedVisit visit, IReadOnlyCollection<string>? gateRequests = null, bool readsStore = true)
    {
        output.WriteLine(visit.Describe());
        visit.ShouldReadOnce(gateRequests, readsStore);
    }

    private async Task SignInAsync(IPage page, string user, string returnUrl)
    {
        await page.GotoAsync($"/login?returnUrl={Uri.EscapeDataString(returnUrl)}");
        await page.SignInAsync(user);
        await Expect(page).ToHaveURLAsync(portal.BaseUrl + returnUrl);
    }

    /// <summary>The capabilities and partner settings are cached for the process: forgotten, the visit must read them from 0Gate.</summary>
    private void ForgetCachedGateAnswers()
    {
        portal.Server.Services.GetRequiredService<GateCapabilitiesCache>().Invalidate();
        portal.Server.Services.GetRequiredService<CheckoutPreflight>().Invalidate();
    }
}
