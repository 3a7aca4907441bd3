using Microsoft.Extensions.DependencyInjection;

namespace Portal.E2E.Layout;

/// <summary>
/// On a phone (375 × 812) the app bar keeps only the title and a Menu button; the menu holds the links, the name and
/// Sign out. From 600 px up the bar is as before. On a static page (the outcome pages) the browser opens it alone.
/// </summary>
[Collection(PortalE2E.Collection)]
public sealed class AppBarMenuE2ETests(PortalFixture portal)
{
    [Fact]
    public Task Sam_on_a_phone_navigates_and_signs_out_through_the_menu() => portal.RunPageAsync(async page =>
    {
        await page.SetViewportSizeAsync(375, 812);
        await page.GotoAsync("/support/attempts");
        await page.SignInAsync("sam");

        await ExpectNothingWiderThanTheScreenAsync(page);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToHaveCountAsync(0); // not off-screen: not there
        var menu = MenuButton(page);
        await Expect(menu).ToHaveAttributeAsync("aria-expanded", "false");

        await menu.ClickAsync();
        await Expect(menu).ToHaveAttributeAsync("aria-expanded", "true");
        var panel = page.GetByTestId("app-bar-menu");
        await Expect(panel.GetByTestId("signed-in-user")).ToHaveTextAsync("Sam");
        await ExpectNothingWiderThanTheScreenAsync(page);

        await panel.GetByRole(AriaRole.Link, new() { Name = "Home" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(portal.BaseUrl + "/");
        await Expect(menu).ToHaveAttributeAsync("aria-expanded", "false");
        await Expect(panel).ToHaveCountAsync(0);

        await menu.ClickAsync();
        await panel.GetByRole(AriaRole.Link, new() { Name = "Support" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(portal.BaseUrl + "/support/attempts");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Support" })).ToBeVisibleAsync();

        await menu.ClickAsync();
        await panel.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(portal.BaseUrl + "/");
        await page.WaitForCircuitAsync();
        // Signed out there is nothing to hide: no menu, Sign in in the bar itself (top right, as the home page says).
        await Expect(menu).ToHaveCountAsync(0);
        var signIn = page.GetByRole(AriaRole.Banner).GetByRole(AriaRole.Link, new() { Name = "Sign in" });
        await Expect(signIn).ToBeVisibleAsync();
        await Expect(page.GetByTestId("signed-in-user")).ToHaveCountAsync(0);
        await ExpectNothingWiderThanTheScreenAsync(page);
        await signIn.ClickAsync();
        await Expect(page.GetByLabel("Username")).ToBeVisibleAsync();
    });

    [Fact]
    public Task Alice_on_a_phone_reaches_her_attempts_through_the_menu_and_a_wide_screen_keeps_the_bar() => portal.RunPageAsync(async page =>
    {
        await page.SetViewportSizeAsync(375, 812);
        await page.GotoAsync("/login");
        await page.SignInAsync("alice");
        await Expect(page).ToHaveURLAsync(portal.BaseUrl + "/");
        await ExpectNothingWiderThanTheScreenAsync(page);

        await MenuButton(page).ClickAsync();
        var panel = page.GetByTestId("app-bar-menu");
        await Expect(panel.GetByTestId("signed-in-user")).ToHaveTextAsync("Alice");
        await Expect(panel.GetByRole(AriaRole.Link, new() { Name = "Support" })).ToHaveCountAsync(0);
        await panel.GetByRole(AriaRole.Link, new() { Name = "My attempts" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(portal.BaseUrl + "/checkout/attempts");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My attempts" })).ToBeVisibleAsync();
        await ExpectNothingWiderThanTheScreenAsync(page);

        // From 600 px up: today's bar, no menu button.
        await page.SetViewportSizeAsync(600, 812);
        await Expect(MenuButton(page)).ToBeHiddenAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "My attempts" })).ToBeVisibleAsync();
    });

    [Fact]
    public Task Alice_on_a_phone_uses_the_menu_of_a_static_outcome_page_before_and_without_its_circuit() => portal.RunPageAsync(async page =>
    {
        await page.SetViewportSizeAsync(375, 812);
        await page.GotoAsync("/login");
        await page.SignInAsync("alice");
        var attemptId = await OpenAttemptAsync("alice");

        // The outcome page renders statically; with Blazor's hub unreachable no circuit ever starts, yet the menu works.
        await page.RouteAsync("**/_blazor/**", route => route.AbortAsync());
        await page.GotoAsync($"/checkout/{attemptId}/status");
        await Expect(page.GetByTestId("outcome")).ToBeVisibleAsync();
        await ExpectNothingWiderThanTheScreenAsync(page);
        var panel = page.GetByTestId("app-bar-menu");
        await Expect(panel).ToBeHiddenAsync();

        await MenuButton(page).ClickAsync();
        await Expect(panel.GetByTestId("signed-in-user")).ToHaveTextAsync("Alice");
        await Expect(panel.GetByRole(AriaRole.Link, new() { Name = "Support" })).ToHaveCountAsync(0);
        await ExpectNothingWiderThanTheScreenAsync(page);
        await page.Keyboard.PressAsync("Escape");
        await Expect(panel).ToBeHiddenAsync();
        (await page.EvaluateAsync<string?>("() => document.documentElement.dataset.circuit ?? null")).ShouldBeNull("no circuit was started");

        // Its links lead to the interactive pages, which get their circuit as usual.
        await page.UnrouteAsync("**/_blazor/**");
        await MenuButton(page).ClickAsync();
        await panel.GetByRole(AriaRole.Link, new() { Name = "My attempts" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(portal.BaseUrl + "/checkout/attempts");
        await page.WaitForCircuitAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My attempts" })).ToBeVisibleAsync();
        await Expect(panel).ToHaveCountAsync(0); // the interactive menu, closed

        // Sign out from the static page's menu: the same antiforgery form POST.
        await page.GotoAsync($"/checkout/{attemptId}/status");
        await MenuButton(page).ClickAsync();
        await panel.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(portal.BaseUrl + "/");
        await page.WaitForCircuitAsync();
        await Expect(page.GetByRole(AriaRole.Banner).GetByRole(AriaRole.Link, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("signed-in-user")).ToHaveCountAsync(0);
    });

    /// <summary>An open attempt of <paramref name="customer"/>, made the way the start form makes it.</summary>
    private async Task<string> OpenAttemptAsync(string customer)
    {
        await using var scope = portal.Server.Services.CreateAsyncScope();
        var started = await scope.ServiceProvider.GetRequiredService<Portal.Core.Checkout.CheckoutService>().StartAsync(customer,
            new Portal.Core.Checkout.StartCheckout(Portal.Core.Attempts.CheckoutFlow.OnRamp, "12.5", "EUR", "USDC", "polygon", null, Guid.NewGuid()),
            new Uri(portal.BaseUrl + "/"), CancellationToken.None);
        started.Problem.ShouldBeNull();
        return started.Attempt!.Id;
    }

    private static ILocator MenuButton(IPage page) => page.GetByRole(AriaRole.Button, new() { Name = "Menu", Exact = true });

    private static async Task ExpectNothingWiderThanTheScreenAsync(IPage page)
    {
        // The bar is fixed, so it never widens the document: its own links and buttons are checked too.
        (await page.ElementsWiderThanTheWindowAsync("header.mud-appbar, .mud-main-content")).ShouldBeEmpty();
        (await page.EvaluateAsync<bool>("() => document.querySelector('header.mud-appbar').scrollWidth <= window.innerWidth"))
            .ShouldBeTrue("the app bar overflows");
    }
}
