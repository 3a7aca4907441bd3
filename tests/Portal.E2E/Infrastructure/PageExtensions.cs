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

    /// <summary>
    /// What makes the page wider than the window inside <paramref name="within"/> (a CSS selector, by default the page
    /// under the app bar): each visible element reaching past the window's right edge, text past its left edge, and each
    /// box that scrolls sideways, described for a failure message. Content clipped by an ancestor (a button's ripple) is
    /// not counted. Empty when everything fits.
    /// </summary>
    public static Task<string[]> ElementsWiderThanTheWindowAsync(this IPage page, string within = ".mud-main-content")
    {
        ArgumentNullException.ThrowIfNull(page);
        return page.EvaluateAsync<string[]>(WiderThanTheWindow, within);
    }

    /// <summary>Whether the text of <paramref name="element"/> (a long id) runs over more than one line: taller than two ems.</summary>
    public static Task<bool> WrapsAsync(this ILocator element)
    {
        ArgumentNullException.ThrowIfNull(element);
        return element.EvaluateAsync<bool>("e => e.getBoundingClientRect().height > 2 * parseFloat(getComputedStyle(e).fontSize)");
    }

    private const string WiderThanTheWindow = """
        within => {
          const width = document.documentElement.clientWidth;
          const name = e => e.tagName.toLowerCase() + (e.dataset.testid ? `[data-testid=${e.dataset.testid}]` : '') +
            (typeof e.className === 'string' && e.className ? '.' + e.className.trim().split(/\s+/).join('.') : '');
          const clipped = (e, scope) => {
            for (let a = e.parentElement; a && a !== scope.parentElement; a = a.parentElement) {
              if (getComputedStyle(a).overflowX !== 'visible') return true;
            }
            return false;
          };
          if (!document.querySelector(within)) return [`nothing on the page matches ${within}`];
          const found = [];
          if (document.documentElement.scrollWidth > window.innerWidth) found.push(`the document is ${document.documentElement.scrollWidth}px wide`);
          for (const scope of document.querySelectorAll(within)) {
            for (const e of [scope, ...scope.querySelectorAll('*')]) {
              if (e.getClientRects().length === 0) continue;
              if (/auto|scroll/.test(getComputedStyle(e).overflowX) && e.scrollWidth > e.clientWidth + 1)
                found.push(`${name(e)} scrolls sideways (${e.scrollWidth}px in ${e.clientWidth}px)`);
              if (clipped(e, scope)) continue;
              const box = e.getBoundingClientRect();
              // Past the right edge the page scrolls; past the left edge only text is lost (MudGrid's negative margins are not).
              const text = [...e.childNodes].some(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
              if (box.right > width + 1 || (text && box.left < -1)) found.push(`${name(e)} spans ${Math.round(box.left)}-${Math.round(box.right)}px`);
            }
          }
          return found;
        }
        """;

    private const string HasServerComponentMarkers = "() => document.documentElement.innerHTML.includes('Blazor:{\"type\":\"server\"')";
}
