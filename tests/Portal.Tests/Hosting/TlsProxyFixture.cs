using System.Net;
using System.Security.Cryptography.X509Certificates;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Hosting;

/// <summary>
/// Production as it runs: nginx terminating TLS with the shipped <c>deploy/nginx/portal-tls.conf.template</c> (rendered
/// with a throw-away self-signed certificate and free loopback ports), in front of the built portal as a real process in
/// Production, which signs people in at the development OpenID provider running as its own process over http.
/// Everything lives in one temp folder and every process is stopped at the end, also when start-up fails.
/// </summary>
public sealed class TlsProxyFixture : IAsyncLifetime
{
    public const string ClientSecret = "tls-proxy-test-secret";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("portal-tls-");
    private readonly List<ChildProcess> _processes = [];
    private string _certificateThumbprint = "";

    public int ProxyPort { get; } = Wait.FreeLoopbackPort();

    public int PortalPort { get; } = Wait.FreeLoopbackPort();

    public int IdentityPort { get; } = Wait.FreeLoopbackPort();

    /// <summary>The portal's public origin: nginx, https.</summary>
    public Uri ProxyOrigin => new($"https://127.0.0.1:{ProxyPort}");

    public Uri IdentityOrigin => new($"http://127.0.0.1:{IdentityPort}");

    /// <summary>The nginx configuration this run used, rendered from the shipped template.</summary>
    public string RenderedSite { get; private set; } = "";

    public async Task InitializeAsync()
    {
        try
        {
            await StartAsync();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// A browser stepped by hand: keeps cookies (Secure ones only over https, as browsers do), follows no redirects,
    /// and trusts exactly the throw-away certificate.
    /// </summary>
    public HttpClient CreateClient() =>
        new(new HttpClientHandler
        {
            AllowAutoRedirect = false,
            UseCookies = true,
            CookieContainer = new CookieContainer(),
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => IsThrowAwayCertificate(certificate),
        })
        {
            BaseAddress = ProxyOrigin,
            Timeout = TimeSpan.FromSeconds(30),
        };

    public bool IsThrowAwayCertificate(X509Certificate? certificate) =>
        certificate is not null && certificate.GetCertHashString() == _certificateThumbprint;

    /// <summary>What the processes said, for failure messages.</summary>
    public string Describe() =>
        string.Join("\n\n", _processes.Select(process => process.Describe()))
        + $"\n\nnginx error log:\n{ThrowAwayNginx.ReadErrorLog(_directory.FullName)}";

    public async Task DisposeAsync()
    {
        foreach (var process in Enumerable.Reverse(_processes))
        {
            await process.DisposeAsync();
        }

        _processes.Clear();
        try
        {
            _directory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A process that would not die still holds a file; the OS temp cleaner gets it.
        }
    }

    private async Task StartAsync()
    {
        var nginx = ThrowAwayNginx.FindBinary() ?? throw new InvalidOperationException(
            "nginx is not installed, and the TLS proxy tests need it. Run ./test.sh (it installs Debian's nginx package), "
            + "or install it yourself: apt-get install -y nginx.");
        var (certificate, key, thumbprint) = ThrowAwayNginx.WriteSelfSignedCertificate(_directory.FullName);
        _certificateThumbprint = thumbprint;

        var identity = Track(ChildProcess.Start(
            "dev OpenID provider",
            BuiltPrograms.DotnetHost,
            [BuiltPrograms.DevIdentityDll],
            new Dictionary<string, string?>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["DevIdentity__Url"] = IdentityOrigin.GetLeftPart(UriPartial.Authority),
                // The portal's public origin is the proxy's: that is where the provider sends people back to.
                ["DevIdentity__PortalOrigins__0"] = ProxyOrigin.GetLeftPart(UriPartial.Authority),
                ["DevIdentity__ClientId"] = "portal",
                ["DevIdentity__ClientSecret"] = ClientSecret,
                ["Logging__LogLevel__Default"] = "Warning",
            },
            _directory.FullName));

        var portal = Track(PortalProcess.Start(
            PortalProcess.ProductionSettings(_directory.FullName, PortalPort, new Dictionary<string, string?>
            {
                // http is accepted for a provider on loopback only (OidcSettings).
                ["Oidc__Authority"] = IdentityOrigin.GetLeftPart(UriPartial.Authority),
                ["Oidc__ClientSecret"] = ClientSecret,
            }),
            _directory.FullName));

        RenderedSite = ThrowAwayNginx.RenderTemplate("portal-tls.conf.template", new Dictionary<string, string>
        {
            ["PORTAL_LISTEN"] = $"127.0.0.1:{ProxyPort}",
            ["PORTAL_SERVER_NAME"] = "127.0.0.1",
            ["PORTAL_UPSTREAM"] = $"127.0.0.1:{PortalPort}",
            ["PORTAL_CERTIFICATE"] = certificate,
            ["PORTAL_CERTIFICATE_KEY"] = key,
        });
        var nginxProcess = Track(ThrowAwayNginx.Start(nginx, _directory.FullName, RenderedSite));

        using var direct = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Task.WhenAll(
            Wait.UntilHealthyAsync(direct, $"{IdentityOrigin}.well-known/openid-configuration", identity, StartTimeout),
            Wait.UntilHealthyAsync(direct, $"http://127.0.0.1:{PortalPort}/healthz", portal, StartTimeout));
        using var client = CreateClient();
        await Wait.UntilHealthyAsync(client, new Uri(ProxyOrigin, "/readyz").ToString(), nginxProcess, StartTimeout);
    }

    private ChildProcess Track(ChildProcess process)
    {
        _processes.Add(process);
        return process;
    }
}
