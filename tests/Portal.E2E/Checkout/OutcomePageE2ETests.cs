using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Attempts;
using Portal.Core.Gate;
using Portal.Core.LiveUpdates;
using Portal.Core.Reads;
using Portal.E2E.Infrastructure.Visits;

namespace Portal.E2E.Checkout;

/// <summary>
/// The outcome pages are static, with one interactive island for the state panel (docs/architecture.md#render-modes):
/// one visit reads the attempt once, the page is whole before (and without) its circuit, it updates within a second of
/// the webhook's commit on a desktop and on a phone, and the way between it and the interactive pages works both ways.
/// </summary>
[Collection(PortalE2E.Collection)]
public sealed class OutcomePageE2ETests(PortalFixture portal)
{
    private const string Complete = "Your checkout is complete.";
    private const string Processing = "We are confirming your checkout. You can leave this page and return later.";

    [Fact]
    public Task The_island_takes_the_prerendered_outcome_into_its_circuit_instead_of_reading_it() => portal.RunPageAsync(async page =>
    {
        await new CheckoutJourney(portal, page).SignInAsync("alice", "/");
        var attempt = await portal.Server.StartCheckoutAsync("alice");
        await WaitForAsync(async () => (await TimelineAsync(attempt.Id)).Any(e => e.EventType == GateEventTypes.SessionCreated));
        // With the status cache out of play (as while PostgreSQL's change listener reconnects) every look is a store
        // read: the page's, and the island's first look from its circuit. A third would be the island reading what
        // its prerender already had ([PersistentState]).
        var cache = portal.Server.Services.GetRequiredService<CheckoutStatusCache>();
        cache.MayMissChanges();
        try
        {
            using var islandStarted = new OutcomeIslandStart();
            var visit = await page.RecordVisitAsync(portal.Server, $"/checkout/{attempt.Id}/status", async _ =>
                await islandStarted.Task.WaitAsync(BrowserFixture.DefaultTimeout));

            visit.StoreCommands.Count(c => c.Sql.StartsWith("SELECT", StringComparison.Ordinal) && c.Sql.Contains("\"checkout_attempts\"", StringComparison.Ordinal))
                .ShouldBe(2, visit.Describe());
        }
        finally
        {
            cache.HearingEveryChange();
        }
    });

    [Fact]
    public Task The_page_is_whole_without_a_circuit_and_its_island_joins_later() => portal.RunPageAsync(async page =>
    {
        await new CheckoutJourney(portal, page).SignInAsync("alice", "/");
        var attempt = await portal.Server.StartCheckoutAsync("alice");

        // No circuit at all: Blazor's hub does not answer.
        await page.RouteAsync("**/_blazor/**", route => route.AbortAsync());
        await page.GotoAsync($"/checkout/{attempt.Id}/cancel");
        await Expect(page.GetByTestId("outcome")).ToHaveAttributeAsync("data-view", "requires_action");
        await Expect(page.GetByTestId("attempt-id")).ToHaveTextAsync(attempt.Id);
        await Expect(page.GetByTestId("cancel-confirmation")).ToBeVisibleAsync();
        (await page.EvaluateAsync<string?>("() => document.documentElement.dataset.circuit ?? null")).ShouldBeNull();

        // The confirmation is a plain form: it cancels at 0Gate without any circuit.
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, cancel this checkout" }).ClickAsync();
        await Expect(page).ToHaveURLAsync($"{portal.BaseUrl}/checkout/{attempt.Id}/status");
        await Expect(page.GetByTestId("outcome")).ToHaveAttributeAsync("data-view", "cancelled");

        // With the hub back, the same page gets its live panel.
        await page.UnrouteAsync("**/_blazor/**");
        await page.ReloadAsync();
        await page.WaitForCircuitAsync();
        await Expect(page.GetByTestId("outcome")).ToHaveAttributeAsync("data-view", "cancelled");
    });

    [Theory]
    [InlineData(1280, 800)]
    [InlineData(375, 812)]
    public Task The_status_page_shows_the_webhooks_commit_within_a_second(int width, int height) => portal.RunPageAsync(async page =>
    {
        await page.SetViewportSizeAsync(width, height);
        var journey = new CheckoutJourney(portal, page);
        await journey.SignInAsync("bob", "/");
        await journey.SetWebhookBehaviorAsync(new { delay_ms = 4000 });
        try
        {
            var attemptId = await journey.StartAsync("on_ramp", "44");
            await journey.PressInHostedPageAsync("Complete");
            await journey.ExpectOutcomeAsync("processing", Processing);
            await page.WaitForCircuitAsync();
            var navigations = 0;
            page.FrameNavigated += (_, frame) => navigations += frame == page.MainFrame ? 1 : 0;

            // The delayed completion commits; from then on the page has one second (the 3 s poll would be too late).
            await WaitForAsync(async () => (await journey.AttemptAsync(attemptId))!.Status == AttemptStatus.Fulfilled);
            await Expect(page.GetByTestId("outcome")).ToHaveAttributeAsync("data-view", "success", new() { Timeout = 1000 });
            await Expect(page.GetByTestId("outcome-message")).ToHaveTextAsync(Complete);
            navigations.ShouldBe(0); // the island updated in place
            (await page.ElementsWiderThanTheWindowAsync()).ShouldBeEmpty($"at {width} px");
        }
        finally
        {
            await journey.ResetWebhookBehaviorAsync();
        }
    });

    [Fact]
    public Task From_the_interactive_pages_to_the_static_outcome_page_and_back() => portal.RunPageAsync(async page =>
    {
        await new CheckoutJourney(portal, page).SignInAsync("alice", "/");
        var attempt = await portal.Server.StartCheckoutAsync("alice");

        // Interactive list -> static outcome page: a link, and a click on the row (NavigationManager) both load it in full.
        await page.GotoAsync("/checkout/attempts");
        await page.WaitForCircuitAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = attempt.Id }).ClickAsync();
        await Expect(page).ToHaveURLAsync($"{portal.BaseUrl}/checkout/{attempt.Id}/status");
        await Expect(page.GetByTestId("attempt-id")).ToHaveTextAsync(attempt.Id);
        await page.WaitForCircuitAsync();

        await page.GotoAsync("/checkout/attempts");
        await page.WaitForCircuitAsync();
        await page.GetByTestId("attempt-list").Locator("tbody tr").Filter(new() { HasText = attempt.Id }).GetByText("Buy", new() { Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync($"{portal.BaseUrl}/checkout/{attempt.Id}/status");
        await Expect(page.GetByTestId("attempt-id")).ToHaveTextAsync(attempt.Id);

        // Static outcome page -> interactive page through the app bar: the next page is live (its filters work).
        await page.GetByRole(AriaRole.Banner).GetByRole(AriaRole.Link, new() { Name = "My attempts" }).ClickAsync();
        await Expect(page).ToHaveURLAsync($"{portal.BaseUrl}/checkout/attempts");
        await page.WaitForCircuitAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My attempts" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = attempt.Id })).ToBeVisibleAsync();

        // The outcome page's own buttons lead on too: "My attempts" in the panel, then home.
        await page.GotoAsync($"/checkout/{attempt.Id}/status");
        await page.WaitForCircuitAsync();
        await page.GetByTestId("outcome").GetByRole(AriaRole.Link, new() { Name = "My attempts" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My attempts" })).ToBeVisibleAsync();
        await page.WaitForCircuitAsync();
    });

    private Task<IReadOnlyList<TimelineEntry>> TimelineAsync(string attemptId) =>
        portal.Server.Services.GetRequiredService<AttemptReads>().GetTimelineAsync(attemptId, CancellationToken.None);

    /// <summary>Waits for server state (not for time); the limit only turns a hang into a failure.</summary>
    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            await Task.Delay(50, limit.Token);
        }
    }
}
