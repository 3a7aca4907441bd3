using System.Text.RegularExpressions;

namespace Portal.E2E.Auth;

[Collection(PortalE2E.Collection)]
public sealed class SignInE2ETests(PortalFixture portal)
{
    private string Home => portal.BaseUrl + "/";

    /// <summary>The login form of the provider the portal is configured with, not just any login page.</summary>
    private Regex ProviderLogin => new("^" + Regex.Escape(portal.Server.Options.IdentityUrl) + "/account/login");

    [Fact]
    public Task Customer_signs_in_through_the_provider_and_sees_her_name() => portal.RunPageAsync(async page =>
    {
        await page.GotoAsync("/");
        await page.WaitForCircuitAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(ProviderLogin);
        await page.SignInAsync("alice");

        await Expect(page).ToHaveURLAsync(Home);
        await Expect(page.GetByTestId("signed-in-user")).ToHaveTextAsync("Alice");
        await Expect(page.GetByTestId("signed-in-role")).ToHaveTextAsync("customer");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "My attempts" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Support" })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Admin" })).ToHaveCountAsync(0);
    });

    [Fact]
    public Task Support_agent_reaches_the_support_area() => portal.RunPageAsync(async page =>
    {
        await page.GotoAsync("/support/attempts");
        await Expect(page).ToHaveURLAsync(ProviderLogin);
        await page.SignInAsync("sam");

        await Expect(page).ToHaveURLAsync(portal.BaseUrl + "/support/attempts");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Support" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("signed-in-user")).ToHaveTextAsync("Sam");
    });

    [Fact]
    public Task Admin_reaches_the_admin_area() => portal.RunPageAsync(async page =>
    {
        await page.GotoAsync("/admin");
        await Expect(page).ToHaveURLAsync(ProviderLogin);
        await page.SignInAsync("ada");

        await Expect(page).ToHaveURLAsync(portal.BaseUrl + "/admin");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Admin" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Allowed domains" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Allowed domains" })).ToBeVisibleAsync();
    });

    [Fact]
    public Task Customer_is_shown_access_denied_for_the_admin_area() => portal.RunPageAsync(async page =>
    {
        await page.GotoAsync("/admin");
        await Expect(page).ToHaveURLAsync(ProviderLogin);

        // "Access denied" renders statically (a real 403), so there is no circuit to wait for.
        await page.SubmitSignInFormAsync("bob");

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Access denied" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Admin" })).ToHaveCountAsync(0);
    });

    [Fact]
    public Task Sign_out_ends_the_session_at_the_portal_and_the_provider() => portal.RunPageAsync(async page =>
    {
        await page.GotoAsync("/support/attempts");
        await Expect(page).ToHaveURLAsync(ProviderLogin);
        await page.SignInAsync("sam");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Support" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(Home);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await page.GotoAsync("/support/attempts");
        await Expect(page).ToHaveURLAsync(ProviderLogin);
        await Expect(page.GetByLabel("Username")).ToBeVisibleAsync();
    });

    [Fact]
    public Task Wrong_password_shows_a_message() => portal.RunPageAsync(async page =>
    {
        await page.GotoAsync("/login");
        await Expect(page).ToHaveURLAsync(ProviderLogin);

        await page.SubmitSignInFormAsync("alice", "wrong-password");

        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Wrong username or password.");
        await Expect(page).ToHaveURLAsync(ProviderLogin);
    });

    [Fact]
    public Task In_circuit_navigation_to_a_staff_page_is_refused_for_a_customer() => portal.RunPageAsync(async page =>
    {
        await page.GotoAsync("/login");
        await Expect(page).ToHaveURLAsync(ProviderLogin);
        await page.SignInAsync("alice");
        await Expect(page).ToHaveURLAsync(Home);

        // Client-side navigation never reaches the authorization middleware; the router's AuthorizeRouteView must refuse it.
        await page.EvaluateAsync("() => Blazor.navigateTo('/support/attempts')");

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Access denied" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Support" })).ToHaveCountAsync(0);
    });

    [Fact]
    public Task In_circuit_navigation_to_a_staff_page_sends_an_anonymous_visitor_to_sign_in() => portal.RunPageAsync(async page =>
    {
        await page.GotoAsync("/");
        await page.WaitForCircuitAsync();

        await page.EvaluateAsync("() => Blazor.navigateTo('/admin')");

        await Expect(page).ToHaveURLAsync(ProviderLogin);
        await page.SignInAsync("ada");
        await Expect(page).ToHaveURLAsync(portal.BaseUrl + "/admin");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Admin" })).ToBeVisibleAsync();
    });
}
