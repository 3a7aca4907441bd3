using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Playwright;

namespace Portal.E2E.Auth;

/// <summary>
/// The portal on real Kestrel with the development provider hosted in-process (as in development),
/// on fixed loopback ports of their own, and one headless Chromium shared by the sign-in tests.
/// </summary>
public sealed class AuthE2EFixture : IAsyncLifetime, IDisposable
{
    public const int PortalPort = 5190;
    public const int IdentityPort = 5192;
    public static readonly string PortalUrl = $"http://localhost:{PortalPort}";
    public static readonly string IdentityUrl = $"http://localhost:{IdentityPort}";

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"portal-auth-e2e-{Guid.NewGuid():N}");
    private PortalServer? _portal;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _portal = new PortalServer(_dataDirectory);
        _portal.UseKestrel(PortalPort);
        _portal.StartServer();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("PORTAL_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_portal is not null)
        {
            await _portal.DisposeAsync();
        }

        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    // xunit calls this after DisposeAsync; the factory ignores a second dispose.
    public void Dispose() => _portal?.Dispose();

    /// <summary>A fresh browser profile (no cookies) with one page.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = PortalUrl });
        return await context.NewPageAsync();
    }

    private sealed class PortalServer(string dataDirectory) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("Urls", PortalUrl);
            builder.UseSetting("Sandbox:Enabled", "false");
            builder.UseSetting("DevIdentity:Enabled", "true");
            builder.UseSetting("DevIdentity:Url", IdentityUrl);
            builder.UseSetting("Oidc:Authority", IdentityUrl);
            builder.UseSetting("Oidc:ClientId", "portal");
            builder.UseSetting("Oidc:ClientSecret", "portal-e2e-secret");
            builder.UseSetting("ConnectionStrings:Portal", $"Data Source={Path.Combine(dataDirectory, "portal.db")}");
            builder.UseSetting("DataProtection:KeysPath", Path.Combine(dataDirectory, "keys"));
        }
    }
}

[CollectionDefinition(Name)]
public sealed class AuthE2EGroup : ICollectionFixture<AuthE2EFixture>
{
    public const string Name = "Auth E2E";
}
