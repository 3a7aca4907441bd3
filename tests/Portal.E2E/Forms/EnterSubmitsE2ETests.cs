using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Attempts;
using Portal.Core.Checkout;

namespace Portal.E2E.Forms;

/// <summary>Pressing Enter in a text field does what the button beside it does, as people expect of a form.</summary>
[Collection(PortalE2E.Collection)]
public sealed class EnterSubmitsE2ETests(PortalFixture portal)
{
    [Fact]
    public Task Enter_in_the_amount_field_goes_on_to_the_review() => portal.RunPageAsync(async page =>
    {
        await page.GotoAsync("/checkout/new?flow=on_ramp");
        await page.SignInAsync("alice");

        await page.GetByLabel("Amount").FillAsync("15");
        await page.GetByLabel("Amount").PressAsync("Enter");

        await Expect(page.GetByTestId("review-amount")).ToContainTextAsync("15");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Confirm buy" })).ToBeVisibleAsync();
    });

    [Fact]
    public Task Enter_in_the_support_search_filters_the_list_and_enter_in_the_reason_cancels_the_session() => portal.RunPageAsync(async page =>
    {
        var attempt = await StartCheckoutAsync("bob");
        await page.GotoAsync("/support/attempts");
        await page.SignInAsync("sam");

        await page.GetByLabel("Search ids").FillAsync(attempt.Id);
        await page.GetByLabel("Search ids").PressAsync("Enter");

        await Expect(page).ToHaveURLAsync($"{portal.BaseUrl}/support/attempts?q={attempt.Id}");
        await page.GetByRole(AriaRole.Link, new() { Name = attempt.Id, Exact = true }).ClickAsync();

        await page.GetByLabel("Reason for cancelling").FillAsync("Customer asked by email");
        await page.GetByLabel("Reason for cancelling").PressAsync("Enter");

        await Expect(page.GetByTestId("support-action-result")).ToContainTextAsync("0Gate cancelled the session");
        await Expect(page.GetByTestId("attempt-audit")).ToContainTextAsync("Customer asked by email");
    });

    [Fact]
    public Task Enter_in_the_origin_field_adds_it_to_the_allowed_domains() => portal.RunPageAsync(async page =>
    {
        var origin = $"https://enter-{Guid.NewGuid():N}.example.com";
        await page.GotoAsync("/admin/allowed-domains");
        await page.SignInAsync("ada");

        await page.GetByLabel("Origin").FillAsync(origin);
        await page.GetByLabel("Origin").PressAsync("Enter");

        await Expect(page.GetByTestId("origin-list")).ToContainTextAsync(origin);
        await Expect(page.GetByLabel("Origin")).ToHaveValueAsync("");
    });

    /// <summary>An open attempt with a 0Gate session at the sandbox, made the way the start form makes it.</summary>
    private async Task<CheckoutAttempt> StartCheckoutAsync(string customer)
    {
        await using var scope = portal.Server.Services.CreateAsyncScope();
        var started = await scope.ServiceProvider.GetRequiredService<CheckoutService>().StartAsync(customer,
            new StartCheckout(CheckoutFlow.OnRamp, "9.5", "EUR", "USDC", "polygon", null, Guid.NewGuid()), new Uri(portal.BaseUrl + "/"), CancellationToken.None);
        started.Problem.ShouldBeNull();
        return started.Attempt!;
    }
}
