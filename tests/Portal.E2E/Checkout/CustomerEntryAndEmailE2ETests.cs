using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Reads;
using Portal.DevMail;

namespace Portal.E2E.Checkout;

/// <summary>
/// A customer's ways in and out: every address of the start page lands on something to do (never a spinner), and a
/// finished checkout reaches the customer as one email, through the dev provider's email claim and the in-process
/// mail catcher, readable on the developer tools' mail page.
/// </summary>
[Collection(PortalE2E.Collection)]
public sealed class CustomerEntryAndEmailE2ETests(PortalFixture portal)
{
    private static readonly string[] Flows = ["Buy crypto", "Sell crypto", "Swap crypto"];

    [Theory]
    [InlineData("", "Start a checkout", false)]
    [InlineData("?flow=", "Start a checkout", false)]
    [InlineData("?flow=bogus", "Checkout not found", true)]
    [InlineData("?flow=ON_RAMP", "Checkout not found", true)]
    public Task A_missing_or_unknown_flow_shows_the_flow_chooser(string query, string heading, bool unknown) => Journey("alice", async journey =>
    {
        var page = journey.Page;
        await page.GotoAsync("/checkout/new" + query);
        await page.WaitForCircuitAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = heading, Level = 1 })).ToBeVisibleAsync();
        await Expect(page).ToHaveTitleAsync(heading);
        foreach (var flow in Flows)
        {
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = flow })).ToBeVisibleAsync();
        }

        await Expect(page.GetByTestId("unknown-flow")).ToHaveCountAsync(unknown ? 1 : 0);
        await Expect(page.GetByRole(AriaRole.Progressbar)).ToHaveCountAsync(0);
        await Expect(page.Locator("main")).ToHaveCountAsync(1);
    });

    [Theory]
    [InlineData("on_ramp", "Buy crypto")]
    [InlineData("off_ramp", "Sell crypto")]
    [InlineData("swap", "Swap crypto")]
    public Task Each_known_flow_shows_its_start_form(string flow, string heading) => Journey("bob", async journey =>
    {
        var page = journey.Page;
        await page.GotoAsync($"/checkout/new?flow={flow}");
        await page.WaitForCircuitAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = heading, Level = 1 })).ToBeVisibleAsync();
        await Expect(page).ToHaveTitleAsync(heading);
        await Expect(page.GetByLabel("Amount")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Progressbar)).ToHaveCountAsync(0);
    });

    [Fact]
    public async Task A_completed_checkout_emails_its_customer_once_and_the_mail_page_shows_it()
    {
        var attemptId = string.Empty;
        await Journey("alice", async journey =>
        {
            attemptId = await journey.StartAsync("on_ramp", "33");
            await journey.PressInHostedPageAsync("Complete");
            await journey.ExpectOutcomeAsync("success", CheckoutCopy.Fulfilled);
        });

        // The job runs after the commit (and waits for the receipt): wait for the catcher to hold it.
        var mailbox = portal.Server.Services.GetRequiredService<DevMailbox>();
        await WaitForAsync(() => mailbox.Newest().Any(m => m.Subject.Contains(attemptId, StringComparison.Ordinal)));
        var email = mailbox.Newest().Where(m => m.Subject.Contains(attemptId, StringComparison.Ordinal)).ShouldHaveSingleItem();
        email.To.ShouldContain("alice@example.test");
        email.Text.ShouldContain(CheckoutCopy.Fulfilled);
        email.Text.ShouldContain($"{portal.BaseUrl}/checkout/{attemptId}/status");
        email.Text.ShouldContain("You paid: 33");

        await Journey("ada", async journey =>
        {
            await journey.Page.GotoAsync("/admin/developer-tools");
            await journey.Page.WaitForCircuitAsync();
            await journey.Page.GetByRole(AriaRole.Link, new() { Name = "Mail catcher" }).ClickAsync();
            await Expect(journey.Page.GetByRole(AriaRole.Heading, new() { Name = "Mail catcher", Level = 1 })).ToBeVisibleAsync();
            await Expect(journey.Page.GetByTestId("caught-mail").Filter(new() { HasText = attemptId })).ToHaveCountAsync(1);
        });
    }

    private Task Journey(string user, Func<CheckoutJourney, Task> steps, [System.Runtime.CompilerServices.CallerMemberName] string testName = "") =>
        portal.RunPageAsync(async page =>
        {
            var journey = new CheckoutJourney(portal, page);
            await journey.SignInAsync(user, "/");
            await steps(journey);
        }, testName: testName);

    /// <summary>Waits for a condition (not for time); the limit only turns a hang into a failure.</summary>
    private static async Task WaitForAsync(Func<bool> condition)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!condition())
        {
            await Task.Delay(50, limit.Token);
        }
    }
}
