using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Portal.E2E.Auth;

internal static class PortalPageExtensions
{
    /// <summary>Waits until Blazor has started and the layout has rendered interactively (the circuit is live).</summary>
    public static async Task WaitForCircuitAsync(this IPage page)
    {
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined");
        await page.GetByTestId("circuit-ready").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
    }

    /// <summary>Fills the development provider's login form.</summary>
    public static async Task SignInAtProviderAsync(this IPage page, string userName, string password = "portal-dev")
    {
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("^" + AuthE2EFixture.IdentityUrl + "/account/login"));
        await page.GetByLabel("Username").FillAsync(userName);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sign in" }).ClickAsync();
    }
}
