using System.Text.RegularExpressions;

namespace Portal.E2E.Infrastructure;

/// <summary>Signing in through the development OpenID provider's login form, as a person would.</summary>
public static partial class SignInExtensions
{
    /// <summary>The password every development user has (Dev.Identity's seeded users).</summary>
    public const string DevPassword = "portal-dev";

    /// <summary>
    /// Signs in on the provider's login form and waits until the browser is back on the portal with a live circuit.
    /// The page must be on its way to the form: after visiting a page that needs a session, or after clicking
    /// "Sign in". For a sign-in that does not end on an interactive portal page (a wrong password, a static
    /// "Access denied" page) use <see cref="SubmitSignInFormAsync"/> and assert what follows.
    /// </summary>
    public static async Task SignInAsync(this IPage page, string username, string password = DevPassword)
    {
        var provider = await page.SubmitSignInFormAsync(username, password);

        // Back through /signin-oidc to the portal page that asked for the session.
        await page.WaitForURLAsync(
            url => !url.StartsWith(provider, StringComparison.OrdinalIgnoreCase) && !url.Contains("/signin-oidc", StringComparison.Ordinal),
            new PageWaitForURLOptions { WaitUntil = WaitUntilState.Load });
        await page.WaitForCircuitAsync();
    }

    /// <summary>
    /// Waits for the provider's login form (fields "Username" and "Password"), fills it and presses "Sign in",
    /// without waiting for what follows. Returns the provider's origin, e.g. <c>http://127.0.0.1:5182</c>.
    /// </summary>
    public static async Task<string> SubmitSignInFormAsync(this IPage page, string username, string password = DevPassword)
    {
        ArgumentNullException.ThrowIfNull(page);
        await Expect(page).ToHaveURLAsync(ProviderLoginPage());
        var provider = new Uri(page.Url).GetLeftPart(UriPartial.Authority);

        await page.GetByLabel("Username").FillAsync(username);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        return provider;
    }

    [GeneratedRegex(@"^https?://[^/]+/account/login(\?|$)")]
    private static partial Regex ProviderLoginPage();
}
