using Portal.Core.Attempts;
using Portal.Core.Gate;
using Portal.Core.Reads;

namespace Portal.E2E.Checkout;

/// <summary>
/// The customer journey against the real portal, the in-process 0Gate sandbox and the dev OpenID provider:
/// sign in → start → complete inside the hosted iframe → processing → outcome from server state.
/// </summary>
[Collection(PortalE2E.Collection)]
public sealed class CheckoutJourneyTests(PortalFixture portal)
{
    private const string Processing = "We are confirming your checkout. You can leave this page and return later.";
    private const string Complete = "Your checkout is complete.";
    private static readonly string[] SwapSwitchedOff = ["swap"];

    [Fact]
    public Task Buy_completes_inside_the_iframe_and_shows_the_receipt() => Journey("alice", async journey =>
    {
        var attemptId = await journey.StartAsync("on_ramp", "120", new Dictionary<string, string> { ["Network"] = "Polygon" });

        await journey.PressInHostedPageAsync("Complete");

        await journey.ExpectOutcomeAsync("success", Complete);
        var page = journey.Page;
        await Expect(page).ToHaveURLAsync($"{portal.BaseUrl}/checkout/{attemptId}/return");
        await Expect(page.GetByTestId("attempt-id")).ToHaveTextAsync(attemptId);
        await Expect(page.GetByTestId("receipt-network")).ToHaveTextAsync("polygon");
        await Expect(page.GetByTestId("receipt-paid")).ToHaveTextAsync("120.00 EUR");
        await Expect(page.GetByTestId("receipt-fees")).ToHaveTextAsync("1.80 EUR");
        await Expect(page.GetByTestId("receipt-method")).ToHaveTextAsync("SEPA");
        await Expect(page.GetByTestId("receipt-explorer")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("^https://polygonscan.com/tx/0x[0-9a-f]{64}$"));
        await Expect(page.GetByTestId("receipt-permalink")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("^http://127.0.0.1:[0-9]+/"));
        (await journey.AttemptAsync(attemptId))!.Status.ShouldBe(AttemptStatus.Fulfilled);
    });

    [Fact]
    public Task The_outcome_page_fits_a_desktop_and_a_phone_and_its_ids_wrap() => Journey("bob", async journey =>
    {
        var attemptId = await journey.StartAsync("on_ramp", "42");
        await journey.PressInHostedPageAsync("Complete");
        await journey.ExpectOutcomeAsync("success", Complete);
        var page = journey.Page;
        await Expect(page.GetByTestId("receipt-tx")).ToBeVisibleAsync();

        foreach (var (width, height) in new[] { (1280, 800), (375, 812) })
        {
            await page.SetViewportSizeAsync(width, height);
            await Expect(page.GetByTestId("attempt-id")).ToHaveTextAsync(attemptId);
            (await page.ElementsWiderThanTheWindowAsync()).ShouldBeEmpty($"at {width} px");
        }

        // On the phone the 0x… transaction id (66 characters) and the wallet address run over several lines.
        (await page.GetByTestId("receipt-tx").WrapsAsync()).ShouldBeTrue("the transaction id should wrap at 375 px");
        (await page.GetByTestId("receipt-destination").WrapsAsync()).ShouldBeTrue("the wallet address should wrap at 375 px");
    });

    [Fact]
    public Task Sell_confirms_a_summary_then_receipts_the_payout_after_fees_to_a_masked_bank_account() => Journey("alice", async journey =>
    {
        var attemptId = await journey.StartAsync("off_ramp", "100", new Dictionary<string, string> { ["Asset to sell"] = "ETH" });

        await journey.PressInHostedPageAsync("Complete");

        await journey.ExpectOutcomeAsync("success", "Your sell order is complete.");
        var page = journey.Page;
        // The sandbox's 100 EUR sell: 1.50 EUR fees, so the customer receives 98.50 EUR, never "100.00".
        await Expect(page.GetByTestId("receipt-received")).ToHaveTextAsync("98.50 EUR");
        await Expect(page.GetByTestId("receipt-gross")).ToHaveTextAsync("100.00 EUR");
        await Expect(page.GetByTestId("receipt-fees")).ToHaveTextAsync("− 1.50 EUR");
        await Expect(page.GetByTestId("receipt-destination")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^•••• [0-9A-Za-z]{4}$"));
        await Expect(page.GetByTestId("receipt-sold")).ToContainTextAsync("ETH");
        await Expect(page.GetByTestId("receipt-rate")).ToHaveTextAsync("1 ETH = 2760 EUR");
        await Expect(page.GetByTestId("receipt-method")).ToHaveTextAsync("SEPA");
        await Expect(page.GetByTestId("receipt-permalink")).ToBeVisibleAsync();
        (await journey.AttemptAsync(attemptId))!.Flow.ShouldBe(CheckoutFlow.OffRamp);
    });

    [Fact]
    public Task Swap_promises_no_price_and_completes() => Journey("bob", async journey =>
    {
        await journey.Page.GotoAsync("/checkout/new?flow=swap");
        await journey.Page.WaitForCircuitAsync();
        await Expect(journey.Page.GetByTestId("swap-quote-note")).ToContainTextAsync("No price is promised here");

        var attemptId = await journey.StartAsync("swap", "50", new Dictionary<string, string> { ["From"] = "USDC", ["To"] = "ETH" });
        await journey.PressInHostedPageAsync("Complete");

        await journey.ExpectOutcomeAsync("success", Complete);
        await Expect(journey.Page.GetByTestId("receipt")).ToBeVisibleAsync();
        (await journey.AttemptAsync(attemptId))!.Status.ShouldBe(AttemptStatus.Fulfilled);
    });

    [Fact]
    public Task Failing_inside_the_iframe_ends_on_the_failed_page_with_a_fresh_retry() => Journey("alice", async journey =>
    {
        var attemptId = await journey.StartAsync("on_ramp", "30");

        await journey.PressInHostedPageAsync("Fail");

        await journey.ExpectOutcomeAsync("failed", "This checkout could not be completed. You can try again or contact support.");
        await journey.Page.GetByRole(AriaRole.Link, new() { Name = "Start a new checkout" }).ClickAsync();
        await Expect(journey.Page).ToHaveURLAsync($"{portal.BaseUrl}/checkout/new?flow=on_ramp");
        (await journey.AttemptAsync(attemptId))!.Status.ShouldBe(AttemptStatus.Failed);
    });

    [Fact]
    public Task Cancelling_inside_the_iframe_ends_cancelled() => Journey("alice", async journey =>
    {
        var attemptId = await journey.StartAsync("swap", "5");

        await journey.PressInHostedPageAsync("Cancel");

        await journey.ExpectOutcomeAsync("cancelled", "This checkout was cancelled. You can start a new attempt.");
        (await journey.AttemptAsync(attemptId))!.Status.ShouldBe(AttemptStatus.Cancelled);
    });

    [Fact]
    public Task Leaving_through_the_portals_cancel_link_cancels_the_session_at_0Gate() => Journey("alice", async journey =>
    {
        var attemptId = await journey.StartAsync("on_ramp", "15");

        await journey.Page.GetByRole(AriaRole.Link, new() { Name = "Cancel this checkout" }).ClickAsync();
        // A confirmation first: nothing is cancelled by opening the page.
        await Expect(journey.Page).ToHaveURLAsync($"{portal.BaseUrl}/checkout/{attemptId}/cancel");
        await Expect(journey.Page.GetByTestId("cancel-confirmation")).ToBeVisibleAsync();
        (await journey.AttemptAsync(attemptId))!.Status.ShouldBe(AttemptStatus.RequiresAction);
        await journey.Page.GetByRole(AriaRole.Button, new() { Name = "Yes, cancel this checkout" }).ClickAsync();

        await Expect(journey.Page).ToHaveURLAsync($"{portal.BaseUrl}/checkout/{attemptId}/status");
        await journey.ExpectOutcomeAsync("cancelled", "This checkout was cancelled. You can start a new attempt.");
        (await journey.TimelineAsync(attemptId)).ShouldContain(e => e.Kind == TimelineKind.GateRequest && e.Summary.Contains("cancelled", StringComparison.Ordinal));
        // The closed session is never mounted again: its checkout page now shows the status.
        await journey.Page.GotoAsync($"/checkout/{attemptId}");
        await Expect(journey.Page).ToHaveURLAsync($"{portal.BaseUrl}/checkout/{attemptId}/status");
        await journey.ExpectOutcomeAsync("cancelled", "This checkout was cancelled. You can start a new attempt.");
    });

    [Fact]
    public Task Keeping_the_checkout_on_the_cancel_page_leads_back_into_the_same_session() => Journey("bob", async journey =>
    {
        var attemptId = await journey.StartAsync("on_ramp", "16");
        var before = await journey.Page.GetByTestId("gate-frame").GetAttributeAsync("src");
        await journey.Page.GetByRole(AriaRole.Link, new() { Name = "Cancel this checkout" }).ClickAsync();

        await journey.Page.GetByRole(AriaRole.Link, new() { Name = "Keep my checkout" }).ClickAsync();

        await Expect(journey.Page).ToHaveURLAsync($"{portal.BaseUrl}/checkout/{attemptId}");
        await Expect(journey.Page.GetByTestId("gate-frame")).ToHaveAttributeAsync("src", before!);
        await journey.PressInHostedPageAsync("Complete");
        await journey.ExpectOutcomeAsync("success", Complete);
    });

    [Fact]
    public Task Visiting_return_early_then_continuing_completes_the_checkout() => Journey("alice", async journey =>
    {
        var attemptId = await journey.StartAsync("on_ramp", "42");

        await journey.Page.GotoAsync($"/checkout/{attemptId}/return");
        await journey.Page.WaitForCircuitAsync();
        await journey.ExpectOutcomeAsync("requires_action", CheckoutCopy.NotHeardYet);
        await Expect(journey.Page.GetByText("Confirming")).ToHaveCountAsync(0);
        (await journey.AttemptAsync(attemptId))!.Status.ShouldBe(AttemptStatus.RequiresAction); // the visit moved nothing

        await journey.Page.GetByRole(AriaRole.Link, new() { Name = "Continue checkout" }).ClickAsync();
        await Expect(journey.Page).ToHaveURLAsync($"{portal.BaseUrl}/checkout/{attemptId}");
        await journey.PressInHostedPageAsync("Complete");

        await journey.ExpectOutcomeAsync("success", Complete);
        (await journey.AttemptAsync(attemptId))!.Status.ShouldBe(AttemptStatus.Fulfilled);
    });

    [Fact]
    public Task Verification_required_in_0Gate_is_shown_to_the_customer_who_can_then_finish() => Journey("bob", async journey =>
    {
        var attemptId = await journey.StartAsync("on_ramp", "55");

        await journey.PressInHostedPageAsync("Require verification");

        // The signed kyc.required event is pushed to the page around the iframe...
        await Expect(journey.Page.GetByTestId("verification-needed")).ToContainTextAsync("verify your identity");
        // ...and the status page says the same, with the way back into 0Gate.
        await journey.Page.GotoAsync($"/checkout/{attemptId}/status");
        await journey.Page.WaitForCircuitAsync();
        await Expect(journey.Page.GetByTestId("outcome")).ToHaveAttributeAsync("data-view", "verification_required");
        await journey.Page.GetByRole(AriaRole.Link, new() { Name = "Continue checkout" }).ClickAsync();
        await journey.PressInHostedPageAsync("Complete");
        await journey.ExpectOutcomeAsync("success", Complete);
        (await journey.TimelineAsync(attemptId)).ShouldContain(e => e.EventType == GateEventTypes.KycRequired);
    });

    [Fact]
    public Task A_delayed_webhook_shows_processing_then_flips_to_success_without_reload() => Journey("alice", async journey =>
    {
        await journey.SetWebhookBehaviorAsync(new { delay_ms = 4000 });
        try
        {
            var attemptId = await journey.StartAsync("on_ramp", "40");
            await journey.PressInHostedPageAsync("Complete");

            await journey.ExpectOutcomeAsync("processing", Processing);
            var navigations = 0;
            journey.Page.FrameNavigated += (_, frame) => navigations += frame == journey.Page.MainFrame ? 1 : 0;

            await Expect(journey.Page.GetByTestId("outcome")).ToHaveAttributeAsync("data-view", "success", new() { Timeout = 20_000 });
            await Expect(journey.Page.GetByTestId("outcome-message")).ToHaveTextAsync(Complete);
            navigations.ShouldBe(0);
            (await journey.AttemptAsync(attemptId))!.Status.ShouldBe(AttemptStatus.Fulfilled);
        }
        finally
        {
            await journey.ResetWebhookBehaviorAsync();
        }
    });

    [Fact]
    public Task A_webhook_before_the_browser_return_is_shown_as_success_on_return() => Journey("alice", async journey =>
    {
        // Swallow the hosted page's postMessage so the browser stays put until the webhook has committed. Registered
        // before any page script: the portal's own listener would otherwise load the outcome page in full meanwhile,
        // racing the visit below.
        await journey.Page.AddInitScriptAsync("window.addEventListener('message', e => e.stopImmediatePropagation(), true)");
        var attemptId = await journey.StartAsync("on_ramp", "60");

        await journey.PressInHostedPageAsync("Complete");
        await WaitForAsync(async () => (await journey.AttemptAsync(attemptId))!.Status == AttemptStatus.Fulfilled);
        await journey.Page.GotoAsync($"/checkout/{attemptId}/return");

        await journey.ExpectOutcomeAsync("success", Complete);
        var timeline = await journey.TimelineAsync(attemptId);
        var entries = string.Join(Environment.NewLine, timeline.Select(e => $"{e.OccurredAt:O} {e.Kind} {e.FromStatus}→{e.ToStatus} {e.Summary}"));
        timeline.ShouldContain(e => e.Kind == TimelineKind.StateChanged && e.FromStatus == AttemptStatus.RequiresAction && e.ToStatus == AttemptStatus.Fulfilled, entries);
        timeline.ShouldNotContain(e => e.ToStatus == AttemptStatus.Processing, entries);
    });

    [Fact]
    public Task Reloading_the_checkout_page_remounts_the_same_session() => Journey("bob", async journey =>
    {
        var attemptId = await journey.StartAsync("on_ramp", "35");
        var frame = journey.Page.GetByTestId("gate-frame");
        var before = await frame.GetAttributeAsync("src");

        await journey.Page.ReloadAsync();
        await journey.Page.WaitForCircuitAsync();

        await Expect(journey.Hosted.GetByRole(AriaRole.Button, new() { Name = "Complete" })).ToBeVisibleAsync();
        (await frame.GetAttributeAsync("src")).ShouldBe(before); // same session, same client secret
        await journey.PressInHostedPageAsync("Complete");
        await journey.ExpectOutcomeAsync("success", Complete);
        (await journey.TimelineAsync(attemptId)).Count(e => e.Summary == "0Gate session created").ShouldBe(1);
    });

    [Fact]
    public Task A_path_0Gate_switches_off_ends_in_an_unavailable_state_not_a_broken_flow() => Journey("alice", async journey =>
    {
        await journey.ReadCapabilitiesFreshAsync(); // the portal now holds "swap is allowed" for a minute
        await journey.SetCapabilitiesAsync(new { flows = SwapSwitchedOff });
        try
        {
            await journey.Page.GotoAsync("/checkout/new?flow=swap");
            await journey.Page.WaitForCircuitAsync();
            await journey.Page.GetByLabel("Amount").FillAsync("3");
            await journey.Page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
            await journey.Page.GetByRole(AriaRole.Button, new() { Name = "Confirm swap" }).ClickAsync();

            // 0Gate refuses the session; the portal re-reads what is allowed and shows the path as unavailable.
            await Expect(journey.Page.GetByTestId("flow-unavailable")).ToContainTextAsync("not available right now");
            await Expect(journey.Page.GetByTestId("start-problem")).ToContainTextAsync("not available right now");
            await Expect(journey.Page.Locator("iframe")).ToHaveCountAsync(0);

            await journey.Page.GotoAsync("/checkout/new?flow=swap");
            await journey.Page.WaitForCircuitAsync();
            await Expect(journey.Page.GetByTestId("flow-unavailable")).ToBeVisibleAsync();
            await Expect(journey.Page.GetByLabel("Amount")).ToHaveCountAsync(0);
        }
        finally
        {
            await journey.SetCapabilitiesAsync(new { flows = Array.Empty<string>() });
            await journey.ReadCapabilitiesFreshAsync();
        }
    });

    [Fact]
    public Task Refreshing_the_outcome_page_shows_the_same_server_state() => Journey("bob", async journey =>
    {
        var attemptId = await journey.StartAsync("on_ramp", "75");
        await journey.PressInHostedPageAsync("Complete");
        await journey.ExpectOutcomeAsync("success", Complete);

        await journey.Page.ReloadAsync();
        await journey.Page.WaitForCircuitAsync();

        await journey.ExpectOutcomeAsync("success", Complete);
        await Expect(journey.Page.GetByTestId("attempt-id")).ToHaveTextAsync(attemptId);
        await Expect(journey.Page.GetByTestId("receipt")).ToBeVisibleAsync();
    });

    [Fact]
    public Task Duplicate_webhooks_fulfil_once() => Journey("alice", async journey =>
    {
        await journey.SetWebhookBehaviorAsync(new { duplicate = true });
        try
        {
            var attemptId = await journey.StartAsync("on_ramp", "20");
            await journey.PressInHostedPageAsync("Complete");
            await journey.ExpectOutcomeAsync("success", Complete);
            await Expect(journey.Page.GetByTestId("receipt")).ToBeVisibleAsync();

            // Both copies of gate_session.completed arrive; the second is recorded as a duplicate and changes nothing.
            await WaitForAsync(async () => (await journey.TimelineAsync(attemptId)).Any(e => e.Kind == TimelineKind.EventDuplicate && e.EventType == GateEventTypes.SessionCompleted));
            var timeline = await journey.TimelineAsync(attemptId);
            timeline.Count(e => e.Kind == TimelineKind.StateChanged && e.ToStatus == AttemptStatus.Fulfilled).ShouldBe(1);
            timeline.Count(e => e.Summary == "Receipt fetched from 0Gate").ShouldBe(1);
        }
        finally
        {
            await journey.ResetWebhookBehaviorAsync();
        }
    });

    [Fact]
    public async Task A_second_customer_cannot_open_the_first_ones_attempt()
    {
        string attemptId = string.Empty;
        await Journey("alice", async journey => attemptId = await journey.StartAsync("on_ramp", "10"));

        await Journey("bob", async journey =>
        {
            foreach (var path in new[] { $"/checkout/{attemptId}", $"/checkout/{attemptId}/status", $"/api/checkout/{attemptId}/status" })
            {
                var response = await journey.Page.GotoAsync(path);
                response!.Status.ShouldBe(404, path);
            }

            await Expect(journey.Page.GetByText(attemptId)).ToHaveCountAsync(0);
        });
    }

    private Task Journey(string user, Func<CheckoutJourney, Task> steps, [System.Runtime.CompilerServices.CallerMemberName] string testName = "") =>
        portal.RunPageAsync(async page =>
        {
            var journey = new CheckoutJourney(portal, page);
            await journey.SignInAsync(user, "/");
            await steps(journey);
        }, testName: testName);

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
