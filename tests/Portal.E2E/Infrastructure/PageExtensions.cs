
namespace Portal.E2E.Infrastructure;

public static class PageExtensions
{
    /// <summary>Selector of the hidden marker rendered by <c>Portal.Components.Shared.CircuitMarker</c> (in App.razor).</summary>
    public const string ConnectedCircuitSelector = "[data-circuit='connected']";

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
            var why = await page.Locator("[data-circuit]").CountAsync() == 0
                ? "The page has no circuit marker: it is rendered statically, or App.razor lacks <CircuitMarker>."
                : "Its marker stayed 'pending': the page renders statically ([ExcludeFromInteractiveRouting]), " +
                  "or the circuit failed to start (check that blazor.web.js loads and the browser console).";
            throw new TimeoutException(
                $"The Blazor circuit of {page.Url} did not connect within {limit.TotalSeconds:0} s. {why}", e);
        }
    }
}
