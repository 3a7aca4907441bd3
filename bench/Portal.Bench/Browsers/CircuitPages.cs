using System.Text;
using Microsoft.Playwright;

namespace Portal.Bench.Browsers;

/// <summary>A page to open: its URL and, for a signed-in customer, the auth cookie to set for its host first.</summary>
public sealed record CircuitPage(Uri Url, string? AuthCookie);

/// <summary>
/// Open Blazor Server pages in headless Chromium (the distribution's binary, never a downloaded one). Each page has a
/// host name of its own under <see cref="HostSuffix"/>, which Chromium resolves to 127.0.0.1 (a host-resolver rule:
/// nothing leaves the loopback interface), so one browser context holds one customer's cookie per page and the
/// pages can share a few renderer processes: a context or a process per page would need gigabytes for 200 pages.
/// A page counts as connected when its circuit has sent the first render batch over the <c>_blazor</c> WebSocket:
/// that works for any Blazor Server app (the empty template has no marker of its own) and does not depend on the
/// portal's <c>[data-circuit]</c> element.
/// </summary>
public sealed class CircuitPages : IAsyncDisposable
{
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Page hosts are <c>&lt;name&gt;.bench.test</c>; <c>.test</c> is reserved for testing and never resolves publicly.</summary>
    public const string HostSuffix = ".bench.test";

    /// <summary>
    /// Chromium keeps at most 180 cookies per registrable domain (here <c>bench.test</c>) in a context and evicts the
    /// oldest beyond that; each portal page holds two (its auth cookie and the antiforgery cookie the page sets), so
    /// a context takes at most this many pages before customers start losing their sign-in.
    /// </summary>
    public const int MaxPagesPerContext = 60;

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
        "--host-resolver-rules=MAP *" + HostSuffix + " 127.0.0.1",
        "--renderer-process-limit=4",
    ];

    private static readonly byte[] RenderBatch = Encoding.ASCII.GetBytes("JS.RenderBatch");

    private readonly IPlaywright _playwright;
    private readonly string _chromium;
    private readonly List<IBrowser> _browsers = [];
    private readonly List<IPage> _pages = [];

    private CircuitPages(IPlaywright playwright, string chromium)
    {
        _playwright = playwright;
        _chromium = chromium;
    }

    public int Count => _pages.Count;

    public static async Task<CircuitPages> CreateAsync(string chromium)
    {
        if (!File.Exists(chromium))
        {
            throw new InvalidOperationException($"Chromium was not found at {chromium}; install Debian's chromium package or set PORTAL_CHROMIUM.");
        }

        return new CircuitPages(await Playwright.CreateAsync(), chromium);
    }

    /// <summary>A loopback URL on a page host of its own, e.g. <c>http://c17.portal.bench.test:5123/checkout/…</c>.</summary>
    public static Uri PageUrl(Uri app, string host, string pathAndQuery) =>
        new UriBuilder(app) { Host = host + HostSuffix, Path = pathAndQuery }.Uri;

    /// <summary>
    /// Opens every page, <paramref name="pagesPerBrowser"/> per Chromium instance (one context each) and at most
    /// <paramref name="parallel"/> loading at once, and waits until each circuit is connected.
    /// </summary>
    public async Task OpenAsync(IReadOnlyList<CircuitPage> pages, int pagesPerBrowser, int parallel, CancellationToken cancellationToken)
    {
        pagesPerBrowser = Math.Min(pagesPerBrowser, MaxPagesPerContext);
        var contexts = new List<IBrowserContext>();
        foreach (var chunk in pages.Chunk(pagesPerBrowser))
        {
            var browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = _chromium, Headless = true, Args = ChromiumArgs });
            _browsers.Add(browser);
            var context = await browser.NewContextAsync(new BrowserNewContextOptions { Locale = "en-US", TimezoneId = "UTC" });
            context.SetDefaultTimeout((float)ConnectTimeout.TotalMilliseconds);
            var cookies = chunk.Where(p => p.AuthCookie is not null).Select(p => new Cookie
            {
                Name = PortalData.CustomerCookies.CookieName, Value = p.AuthCookie!, Domain = p.Url.Host, Path = "/", HttpOnly = true, SameSite = SameSiteAttribute.Lax,
            }).ToList();
            if (cookies.Count > 0)
            {
                await context.AddCookiesAsync(cookies);
            }

            contexts.AddRange(chunk.Select(_ => context));
        }

        using var gate = new SemaphoreSlim(parallel);
        var opened = new IPage[pages.Count];
        await Task.WhenAll(pages.Select(async (page, i) =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                opened[i] = await OpenOneAsync(contexts[i], page, cancellationToken);
            }
            finally
            {
                gate.Release();
            }
        }));
        _pages.AddRange(opened);
    }

    private static async Task<IPage> OpenOneAsync(IBrowserContext context, CircuitPage target, CancellationToken cancellationToken)
    {
        var page = await context.NewPageAsync();
        var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        page.WebSocket += (_, socket) =>
        {
            if (!socket.Url.Contains("/_blazor", StringComparison.Ordinal))
            {
                return;
            }

            socket.FrameReceived += (_, frame) =>
            {
                if (frame.Binary is { } bytes && bytes.AsSpan().IndexOf(RenderBatch) >= 0
                    || frame.Text is { } text && text.Contains("JS.RenderBatch", StringComparison.Ordinal))
                {
                    connected.TrySetResult();
                }
            };
        };

        var response = await page.GotoAsync(target.Url.ToString());
        if (response is null || !response.Ok)
        {
            var body = response is null ? "" : await response.TextAsync();
            throw new InvalidOperationException($"{target.Url} answered {response?.Status.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "nothing"}: {body[..Math.Min(body.Length, 500)]}");
        }

        if (!page.Url.StartsWith(target.Url.ToString(), StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"{target.Url} ended on {page.Url}: was the auth cookie refused?");
        }

        try
        {
            await connected.Task.WaitAsync(ConnectTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{target.Url}: no circuit (no render batch over the _blazor WebSocket) within {ConnectTimeout.TotalSeconds:0} s.");
        }

        return page;
    }

    /// <summary>
    /// The customers leave. Navigating away (the default) is a customer closing the tab or going elsewhere: Blazor's
    /// unload handler tells the server, which ends the circuit at once. Otherwise (<paramref name="vanish"/>) the
    /// browsers just close, as when a laptop sleeps or the network drops: the server keeps each circuit as
    /// disconnected until its retention period ends (Blazor: 3 min, at most 100 circuits).
    /// </summary>
    public async Task LeaveAllAsync(bool vanish, int parallel, CancellationToken cancellationToken)
    {
        if (!vanish)
        {
            using var gate = new SemaphoreSlim(parallel * 2);
            await Task.WhenAll(_pages.Select(async page =>
            {
                await gate.WaitAsync(cancellationToken);
                try
                {
                    await page.GotoAsync("about:blank");
                    await page.CloseAsync();
                }
                finally
                {
                    gate.Release();
                }
            }));
        }

        _pages.Clear();
        await CloseBrowsersAsync();
    }

    private async Task CloseBrowsersAsync()
    {
        foreach (var browser in _browsers)
        {
            await browser.CloseAsync();
        }

        _browsers.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await CloseBrowsersAsync();
        }
        finally
        {
            _playwright.Dispose();
        }
    }
}
