using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Portal.E2E.Auth;

[Collection(AuthE2EGroup.Name)]
public sealed class SignInE2ETests(AuthE2EFixture fixture)
{
    private static readonly string Portal = AuthE2EFixture.PortalUrl;

    [Fact]
    public async Task Customer_signs_in_through_the_provider_and_sees_her_name()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/");
        await page.WaitForCircuitAsync();

        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Sign in" }).ClickAsync();
        await page.SignInAtProviderAsync("alice");

        await Expect(page).ToHaveURLAsync(Portal + "/");
        await Expect(page.GetByTestId("signed-in-user")).ToHaveTextAsync("Alice");
        await Expect(page.GetByTestId("signed-in-role")).ToHaveTextAsync("customer");
        await Expect(page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "My attempts" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Support" })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Admin" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Support_agent_reaches_the_support_area()
    {
        var page = await fixture.NewPageAsync();

        await page.GotoAsync("/support/attempts");
        await page.SignInAtProviderAsync("sam");

        await Expect(page).ToHaveURLAsync(Portal + "/support/attempts");
        await Expect(page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = "Support" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("signed-in-user")).ToHaveTextAsync("Sam");
    }

    [Fact]
    public async Task Admin_reaches_the_admin_area()
    {
        var page = await fixture.NewPageAsync();

        await page.GotoAsync("/admin");
        await page.SignInAtProviderAsync("ada");

        await Expect(page).ToHaveURLAsync(Portal + "/admin");
        await Expect(page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = "Admin" })).ToBeVisibleAsync();
        await page.WaitForCircuitAsync();
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Allowed domains" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = "Allowed domains" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Customer_is_shown_access_denied_for_the_admin_area()
    {
        var page = await fixture.NewPageAsync();

        await page.GotoAsync("/admin");
        await page.SignInAtProviderAsync("bob");

        await Expect(page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = "Access denied" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = "Admin" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Sign_out_ends_the_session_at_the_portal_and_the_provider()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/support/attempts");
        await page.SignInAtProviderAsync("sam");
        await Expect(page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = "Support" })).ToBeVisibleAsync();
        await page.WaitForCircuitAsync();

        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sign out" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(Portal + "/");
        await Expect(page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Sign in" })).ToBeVisibleAsync();
        await page.GotoAsync("/support/attempts");
        await Expect(page).ToHaveURLAsync(new Regex("^" + AuthE2EFixture.IdentityUrl + "/account/login"));
        await Expect(page.GetByLabel("Username")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Wrong_password_shows_a_message()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/login");

        await page.SignInAtProviderAsync("alice", "wrong-password");

        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Wrong username or password.");
        await Expect(page).ToHaveURLAsync(new Regex("^" + AuthE2EFixture.IdentityUrl + "/account/login"));
    }

    [Fact]
    public async Task In_circuit_navigation_to_a_staff_page_is_refused_for_a_customer()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/login");
        await page.SignInAtProviderAsync("alice");
        await Expect(page).ToHaveURLAsync(Portal + "/");
        await page.WaitForCircuitAsync();

        // Client-side navigation never reaches the authorization middleware; the router's AuthorizeRouteView must refuse it.
        await page.EvaluateAsync("() => Blazor.navigateTo('/support/attempts')");

        await Expect(page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = "Access denied" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = "Support" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task In_circuit_navigation_to_a_staff_page_sends_an_anonymous_visitor_to_sign_in()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/");
        await page.WaitForCircuitAsync();

        await page.EvaluateAsync("() => Blazor.navigateTo('/admin')");

        await page.SignInAtProviderAsync("ada");
        await Expect(page).ToHaveURLAsync(Portal + "/admin");
        await Expect(page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = "Admin" })).ToBeVisibleAsync();
    }
}
