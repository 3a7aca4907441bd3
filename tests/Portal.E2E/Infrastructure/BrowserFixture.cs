
namespace Portal.E2E.Infrastructure;

/// <summary>
/// One headless Chromium per test collection: the distribution's browser (<c>PORTAL_CHROMIUM</c>, default
/// <c>/usr/bin/chromium</c>), never one downloaded by <c>playwright install</c>. Each test gets its own context.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumVariable = "PORTAL_CHROMIUM";

    /// <summary>Generous for a loaded two-core machine; a guard against hangs, not a pacing mechanism.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public static string ChromiumPath => Environment.GetEnvironmentVariable(ChromiumVariable) is { Length: > 0 } path
        ? path
        : "/usr/bin/chromium";

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser has not been launched yet.");

    public async Task InitializeAsync()
    {
        var chromium = ChromiumPath;
        if (!File.Exists(chromium))
        {
            throw new InvalidOperationException(
                $"Chromium was not found at {chromium}. Run ./test.sh (it installs Debian's chromium package) " +
                $"or set {ChromiumVariable} to a Chromium executable.");
        }

        // Web-first assertions (Expect) default to 5 s, the rest to DefaultTimeout: one guard for both.
        SetDefaultExpectTimeout((float)DefaultTimeout.TotalMilliseconds);

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    /// <summary>
    /// A fresh context (own cookies and storage) whose relative URLs resolve against <paramref name="baseUrl"/>.
    /// <paramref name="acceptCertificateErrors"/> is for a test's own throw-away TLS certificate (nginx in front).
    /// </summary>
    public async Task<IBrowserContext> NewContextAsync(string baseUrl, bool acceptCertificateErrors = false)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl,
            IgnoreHTTPSErrors = acceptCertificateErrors,
            Locale = "en-US",
            TimezoneId = "UTC",
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        });
        context.SetDefaultTimeout((float)DefaultTimeout.TotalMilliseconds);
        context.SetDefaultNavigationTimeout((float)DefaultTimeout.TotalMilliseconds);
        return context;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
