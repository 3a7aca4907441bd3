using System.Runtime.CompilerServices;

namespace Portal.E2E.Infrastructure;

/// <summary>
/// The portal on Kestrel plus one headless Chromium, shared by every test in a collection.
/// The default is the whole development system: the portal hosting the 0Gate sandbox and the dev OpenID provider.
/// For another set-up, derive with other options and give the derived fixture its own collection.
/// </summary>
public class PortalFixture : IAsyncLifetime
{
    private readonly BrowserFixture _browser = new();

    public PortalFixture()
        : this(new PortalServerOptions())
    {
    }

    protected PortalFixture(PortalServerOptions options)
    {
        Server = new PortalServer(options);
    }

    public PortalServer Server { get; }

    public string BaseUrl => Server.BaseUrl;

    public IBrowser Browser => _browser.Browser;

    public async Task InitializeAsync()
    {
        // Chromium starts while the portal builds its host: they are independent.
        var launching = _browser.InitializeAsync();
        try
        {
            Server.Start();
        }
        finally
        {
            // Even when the portal fails to start, let the launch finish so DisposeAsync can close the browser.
            await launching;
        }
    }

    /// <summary>A fresh browser context (no cookies, no storage) on the portal; dispose it at the end of the test.</summary>
    public Task<IBrowserContext> NewContextAsync() => _browser.NewContextAsync(BaseUrl);

    /// <summary>
    /// Runs <paramref name="test"/> with a new page in a fresh context. If it throws, a screenshot and the page's
    /// console output are saved under <c>TestResults/e2e/</c> before the exception goes on to fail the test.
    /// </summary>
    public async Task RunPageAsync(
        Func<IPage, Task> test,
        [CallerFilePath] string callerFile = "",
        [CallerMemberName] string testName = "")
    {
        ArgumentNullException.ThrowIfNull(test);

        await using var context = await NewContextAsync();
        var page = await context.NewPageAsync();
        var console = new PageConsoleLog(page);
        try
        {
            await test(page);
        }
        catch (Exception)
        {
            await FailureArtifacts.SaveAsync(page, console, $"{Path.GetFileNameWithoutExtension(callerFile)}.{testName}");
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        try
        {
            await _browser.DisposeAsync();
        }
        finally
        {
            await Server.DisposeAsync();
        }
    }
}
