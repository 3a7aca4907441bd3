namespace Portal.E2E.Infrastructure;

public static class PageExtensions
{
    /// <summary>
    /// Matches the page's <c>&lt;html&gt;</c> element once <c>MainLayout</c>'s first interactive render has set
    /// <c>data-circuit="connected"</c> on it (through <c>BrowserInterop</c>); the page itself gains no element.
    /// </summary>
    public const string ConnectedCircuitSelector = "html[data-circuit='connected']";

    /// <summary>
    /// Waits until the page's Blazor circuit is live. Until then the page is prerendered HTML: clicks land on buttons
    /// with no handlers and are lost. Call it after every full page load (GotoAsync, reload, redirects back to the portal).
    /// </summary>
    public static async Task WaitForCircuitAsync(this IPage page, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(page);
        var limit = timeout ?? BrowserFixture.DefaultTimeout;
        try
        {
            await page.Locator(ConnectedCircuitSelector).WaitForAsync(new LocatorWaitForOptions
            {
                State = WaitForSelectorState.Attached,
                Timeout = (float)limit.TotalMilliseconds,
            });
        }
        catch (TimeoutException e)
        {
            // Prerendered interactive components leave <!--Blazor:{"type":"server",...}--> markers; static pages have none.
            var why = await page.EvaluateAsync<bool>(HasServerComponentMarkers)
                ? "It has interactive components, but the circuit did not start or did not render them " +
                  "(check that blazor.web.js loads, the browser console, and that MainLayout still marks the page)."
                : "It has no interactive components: the page renders statically ([ExcludeFromInteractiveRouting], " +
                  "e.g. Access denied or Error), so there is no circuit to wait for.";
            throw new TimeoutException(
                $"The Blazor circuit of {page.Url} did not connect within {limit.TotalSeconds:0} s " +
                $"(no <html data-circuit=\"connected\">). {why}", e);
        }
    }

    private const string HasServerComponentMarkers = "() => document.documentElement.innerHTML.includes('Blazor:{\"type\":\"server\"')";
}
