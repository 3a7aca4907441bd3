using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
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
        + $"\n\nnginx error log:\n{ReadIfExists(Path.Combine(_directory.FullName, "error.log"))}";

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
        var nginx = FindNginx();
        // nginx's workers run as an unprivileged user when the tests run as root: they must reach the temp folder.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_directory.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        var (certificate, key) = WriteSelfSignedCertificate();

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

        RenderedSite = RenderSite(certificate, key);
        var site = Path.Combine(_directory.FullName, "portal-tls.conf");
        await File.WriteAllTextAsync(site, RenderedSite);
        var main = Path.Combine(_directory.FullName, "nginx.conf");
        await File.WriteAllTextAsync(main, MainConfiguration(site));
        var nginxProcess = Track(ChildProcess.Start(
            "nginx",
            nginx,
            ["-p", _directory.FullName + "/", "-c", main, "-e", Path.Combine(_directory.FullName, "error.log")],
            new Dictionary<string, string?>(),
            _directory.FullName));

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

    /// <summary>The shipped template with this run's ports and certificate; every placeholder must be filled.</summary>
    private string RenderSite(string certificate, string key)
    {
        var template = File.ReadAllText(BuiltPrograms.PathInRepository("deploy", "nginx", "portal-tls.conf.template"));
        var rendered = new StringBuilder(template)
            .Replace("${PORTAL_LISTEN}", $"127.0.0.1:{ProxyPort}")
            .Replace("${PORTAL_SERVER_NAME}", "127.0.0.1")
            .Replace("${PORTAL_UPSTREAM}", $"127.0.0.1:{PortalPort}")
            .Replace("${PORTAL_CERTIFICATE}", certificate)
            .Replace("${PORTAL_CERTIFICATE_KEY}", key)
            .ToString();
        rendered.ShouldNotContain("${PORTAL_", customMessage: "The template has a placeholder this test does not fill.");
        return rendered;
    }

    /// <summary>The rest of an nginx.conf: foreground, everything (pid, logs, temp files) inside the temp folder.</summary>
    private string MainConfiguration(string site)
    {
        var root = _directory.FullName;
        return $$"""
            daemon off;
            worker_processes 1;
            pid {{root}}/nginx.pid;
            error_log {{root}}/error.log warn;
            events { worker_connections 64; }
            http {
                access_log {{root}}/access.log;
                client_body_temp_path {{root}}/client_body;
                proxy_temp_path {{root}}/proxy;
                fastcgi_temp_path {{root}}/fastcgi;
                uwsgi_temp_path {{root}}/uwsgi;
                scgi_temp_path {{root}}/scgi;
                include {{site}};
            }
            """;
    }

    private (string Certificate, string Key) WriteSelfSignedCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        _certificateThumbprint = certificate.Thumbprint;

        var certificatePath = Path.Combine(_directory.FullName, "cert.pem");
        var keyPath = Path.Combine(_directory.FullName, "key.pem");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, rsa.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }

    /// <summary>Debian's nginx; ./test.sh installs it when it is missing. Never skipped: a missing nginx fails the test.</summary>
    private static string FindNginx()
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(directory => Path.Combine(directory, "nginx"))
            .Prepend("/usr/sbin/nginx");
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                "nginx is not installed, and the TLS proxy tests need it. Run ./test.sh (it installs Debian's nginx package), "
                + "or install it yourself: apt-get install -y nginx.");
    }

    private static string ReadIfExists(string path) => File.Exists(path) ? File.ReadAllText(path) : "(none)";
}
