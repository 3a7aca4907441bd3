using System.Globalization;
using Portal.Tests.Infrastructure;

namespace Portal.E2E.ScaleOut;

/// <summary>
/// Two portal instances on one PostgreSQL database behind nginx running the shipped
/// <c>deploy/nginx/portal-instances.conf.template</c>, as separate processes (the built Portal.dll):
/// <list type="bullet">
/// <item>a throw-away database in the cluster <c>pg_virtualenv</c> started (<c>PG*</c> variables), migrated once by the
/// deploy step <c>portal migrate</c>; the instances never migrate it themselves (<c>Store:MigrateOnStart=false</c>);</item>
/// <item>instance <c>a</c> hosts the 0Gate sandbox and the dev OpenID provider, whose partner origin and redirect origin
/// are nginx's, and whose webhooks go to nginx (so they are balanced); instance <c>b</c> uses A's sandbox and provider;</item>
/// <item>nginx terminates TLS with a throw-away certificate, which the sandbox (inside A) trusts through
/// <c>SSL_CERT_FILE</c> and the browser accepts; both instances list nginx's address as their known proxy;</item>
/// <item>one headless Chromium.</item>
/// </list>
/// The instances run in Development only because that is what serves the static web assets (blazor.web.js, MudBlazor)
/// from the build output; everything else is set as in production: Secure <c>__Host-</c> cookies, no migration at
/// start-up, one known proxy. Every port is a free loopback port. Nothing starts when <see cref="TwoInstancesFactAttribute"/>
/// skips the tests.
/// </summary>
public sealed class TwoInstancesFixture : IAsyncLifetime
{
    public const string SecretKey = "sk_test_two_instances";
    public const string PublishableKey = "pk_test_two_instances";
    public const string WebhookSecret = "whsec_two_instances";
    private const string ClientSecret = "two-instances-client-secret";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("portal-two-instances-");
    private readonly BrowserFixture _browser = new();
    private readonly Dictionary<string, int> _ports = new()
    {
        ["a"] = Wait.FreeLoopbackPort(),
        ["b"] = Wait.FreeLoopbackPort(),
    };

    private readonly Dictionary<string, ChildProcess> _instances = [];
    private ChildProcess? _nginx;
    private string _certificateThumbprint = "";
    private string _certificatePath = "";
    private string? _database;
    private SharedStore? _store;

    public int ProxyPort { get; } = Wait.FreeLoopbackPort();

    public int SandboxPort { get; } = Wait.FreeLoopbackPort();

    public int IdentityPort { get; } = Wait.FreeLoopbackPort();

    /// <summary>The portal's public origin: nginx, https.</summary>
    public string ProxyOrigin => Loopback("https", ProxyPort);

    public string SandboxOrigin => Loopback("http", SandboxPort);

    public string IdentityOrigin => Loopback("http", IdentityPort);

    /// <summary>Portal.Core on the shared database: seeds attempts through the product's write path, reads the store.</summary>
    public SharedStore Store => _store ?? throw new InvalidOperationException("The fixture did not start.");

    public SandboxApi Sandbox => new(SandboxOrigin, SecretKey, PublishableKey);

    /// <summary>An instance's own origin (<c>a</c> or <c>b</c>), not through nginx.</summary>
    public string InstanceOrigin(string instance) => Loopback("http", _ports[instance]);

    public async Task InitializeAsync()
    {
        if (TwoInstancesPrerequisites.Missing is not null)
        {
            return; // every test is skipped, saying why
        }

        var launching = _browser.InitializeAsync();
        try
        {
            await StartAsync();
        }
        catch
        {
            await launching;
            await DisposeAsync();
            throw;
        }

        await launching;
    }

    /// <summary>A fresh browser context on nginx's origin, pinned by nginx's route cookie to <paramref name="instance"/>.</summary>
    public async Task<IBrowserContext> NewContextPinnedToAsync(string instance)
    {
        var route = await RouteToAsync(instance);
        var context = await _browser.NewContextAsync(ProxyOrigin, acceptCertificateErrors: true);
        await context.AddCookiesAsync(
        [
            new Cookie { Name = "portal_route", Value = route, Url = ProxyOrigin, Secure = true, HttpOnly = true, SameSite = SameSiteAttribute.Lax },
        ]);
        return context;
    }

    /// <summary>
    /// A value of nginx's route cookie that its consistent hash sends to <paramref name="instance"/>: found by asking
    /// nginx (each answer names its instance). Each try is a coin toss between two instances, so a few do.
    /// </summary>
    public async Task<string> RouteToAsync(string instance)
    {
        using var client = CreateProxyClient();
        for (var i = 0; i < 64; i++)
        {
            var route = "pin-" + i.ToString(CultureInfo.InvariantCulture);
            using var request = new HttpRequestMessage(HttpMethod.Get, "/healthz");
            request.Headers.Add("Cookie", "portal_route=" + route);
            using var response = await client.SendAsync(request);
            if (AnsweredBy(response) == instance)
            {
                return route;
            }
        }

        throw new InvalidOperationException($"No route cookie value reached instance {instance}. {Describe()}");
    }

    /// <summary>A client for nginx's origin that trusts exactly the throw-away certificate and follows no redirects.</summary>
    public HttpClient CreateProxyClient() =>
        new(new HttpClientHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
                certificate is not null && certificate.GetCertHashString() == _certificateThumbprint,
        })
        {
            BaseAddress = new Uri(ProxyOrigin),
            Timeout = TimeSpan.FromSeconds(30),
        };

    /// <summary>A client for one instance directly, bypassing nginx.</summary>
    public HttpClient CreateInstanceClient(string instance) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            BaseAddress = new Uri(InstanceOrigin(instance)),
            Timeout = TimeSpan.FromSeconds(30),
        };

    /// <summary>Which instance answered (<c>X-Portal-Instance</c>), or null.</summary>
    public static string? AnsweredBy(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Portal-Instance", out var values) ? values.Single() : null;

    /// <summary>SIGKILL, as a crash or an out-of-memory kill: no shutdown code runs.</summary>
    public void Kill(string instance) => _instances[instance].Kill();

    /// <summary>
    /// When a test killed <paramref name="instance"/>, starts it again with the same settings and waits until it is
    /// ready and nginx sends it requests again (nginx leaves a failed instance alone for fail_timeout).
    /// </summary>
    public async Task EnsureRunningAsync(string instance)
    {
        if (!_instances[instance].HasExited)
        {
            return;
        }

        await _instances[instance].DisposeAsync();
        var process = _instances[instance] = StartInstance(instance);
        using var direct = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Wait.UntilHealthyAsync(direct, InstanceOrigin(instance) + "/readyz", process, StartTimeout);
        using var proxy = CreateProxyClient();
        await Wait.UntilAsync(
            async () =>
            {
                using var response = await proxy.GetAsync("/healthz"); // no route cookie: a random instance each time
                return AnsweredBy(response) == instance;
            },
            TimeSpan.FromSeconds(30),
            () => $"nginx did not send requests to the restarted instance {instance}. {Describe()}");
    }

    /// <summary>nginx's error log: where it notes an instance it could not reach or that cut a connection.</summary>
    public string NginxErrorLog => ThrowAwayNginx.ReadErrorLog(NginxDirectory);

    /// <summary>What the processes said, and nginx's error log, for failure messages.</summary>
    public string Describe() =>
        string.Join("\n\n", _instances.Values.Append(_nginx).OfType<ChildProcess>().Select(process => process.Describe()))
        + $"\n\nnginx error log:\n{NginxErrorLog}";

    public async Task DisposeAsync()
    {
        try
        {
            await _browser.DisposeAsync();
        }
        finally
        {
            foreach (var process in _instances.Values.Append(_nginx).OfType<ChildProcess>())
            {
                await process.DisposeAsync();
            }

            _instances.Clear();
            if (_store is not null)
            {
                await _store.DisposeAsync();
            }

            if (_database is not null)
            {
                PostgresServer.DropDatabase(_database);
            }

            try
            {
                _directory.Delete(recursive: true);
            }
            catch (IOException)
            {
                // A process that would not die still holds a file; the OS temp cleaner gets it.
            }
        }
    }

    private string NginxDirectory => Path.Combine(_directory.FullName, "nginx");

    private async Task StartAsync()
    {
        var nginx = ThrowAwayNginx.FindBinary()!;
        Directory.CreateDirectory(NginxDirectory);
        (_certificatePath, var key, _certificateThumbprint) = ThrowAwayNginx.WriteSelfSignedCertificate(NginxDirectory);
        _database = PostgresServer.CreateDatabase();

        // The deploy step, once, before any instance starts: it needs only the store's two settings.
        await using (var migrate = ChildProcess.Start(
            "portal migrate",
            BuiltPrograms.DotnetHost,
            [BuiltPrograms.PortalDll, "migrate"],
            new Dictionary<string, string?>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["Store__Provider"] = "PostgreSql",
                ["ConnectionStrings__Portal"] = _database,
            },
            _directory.FullName))
        {
            var exit = await migrate.WaitForExitAsync(StartTimeout);
            exit.ShouldBe(0, migrate.Describe());
        }

        _store = SharedStore.Open(_database, _directory.FullName);
        foreach (var instance in _ports.Keys)
        {
            _instances[instance] = StartInstance(instance);
        }

        var site = ThrowAwayNginx.RenderTemplate("portal-instances.conf.template", new Dictionary<string, string>
        {
            ["PORTAL_LISTEN"] = $"127.0.0.1:{ProxyPort}",
            ["PORTAL_SERVER_NAME"] = "127.0.0.1",
            // nginx leaves a failed instance alone for fail_timeout (default 10 s): shorter here, so the restarted
            // instance is back in rotation sooner.
            ["PORTAL_INSTANCES"] = string.Join(' ', _ports.Values.Select(port => $"server 127.0.0.1:{port} fail_timeout=2s;")),
            ["PORTAL_CERTIFICATE"] = _certificatePath,
            ["PORTAL_CERTIFICATE_KEY"] = key,
        });
        _nginx = ThrowAwayNginx.Start(nginx, NginxDirectory, site);

        using var direct = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Task.WhenAll(
            Wait.UntilHealthyAsync(direct, InstanceOrigin("a") + "/readyz", _instances["a"], StartTimeout),
            Wait.UntilHealthyAsync(direct, InstanceOrigin("b") + "/readyz", _instances["b"], StartTimeout));
        // A starts its stand-ins before it serves; B learns the provider's metadata from A on its first sign-in.
        await Wait.UntilHealthyAsync(direct, IdentityOrigin + "/.well-known/openid-configuration", _instances["a"], StartTimeout);
        using var proxy = CreateProxyClient();
        await Wait.UntilHealthyAsync(proxy, ProxyOrigin + "/readyz", _nginx, StartTimeout);
    }

    private ChildProcess StartInstance(string instance)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Urls"] = InstanceOrigin(instance),
            ["Portal__InstanceName"] = instance,
            ["Store__Provider"] = "PostgreSql",
            ["ConnectionStrings__Portal"] = _database,
            ["Store__MigrateOnStart"] = "false",
            ["Cookies__Secure"] = "true",
            ["ForwardedHeaders__KnownProxies__0"] = "127.0.0.1",
            ["Gate__ApiBaseUrl"] = SandboxOrigin,
            ["Gate__HostedBaseUrl"] = SandboxOrigin,
            ["Gate__SecretKey"] = SecretKey,
            ["Gate__PublishableKey"] = PublishableKey,
            ["Gate__WebhookSecrets__0"] = WebhookSecret,
            ["Oidc__Authority"] = IdentityOrigin,
            ["Oidc__ClientId"] = "portal",
            ["Oidc__ClientSecret"] = ClientSecret,
            ["Sandbox__Enabled"] = instance == "a" ? "true" : "false",
            ["DevIdentity__Enabled"] = instance == "a" ? "true" : "false",
            ["DevMail__Enabled"] = "false", // no catcher on the developer's fixed port; these tests send no email
            ["Email__SmtpHost"] = "",
            ["Logging__LogLevel__Default"] = "Warning",
            // The tests sign in and start checkouts from one address far more often than a person would.
            ["RateLimits__SignInPerMinute"] = "100000",
            ["RateLimits__CheckoutStartsPerMinute"] = "100000",
        };
        if (instance == "a")
        {
            settings["Sandbox__Url"] = SandboxOrigin;
            settings["Sandbox__ConnectionString"] = $"Data Source={Path.Combine(_directory.FullName, "sandbox.db")}";
            // The partner's origin and webhook URL are nginx's: the hosted page is framed by nginx's origin, and
            // deliveries are balanced over both instances.
            settings["Sandbox__AllowedDomains__0"] = ProxyOrigin;
            settings["Sandbox__WebhookUrl"] = ProxyOrigin + "/webhooks/0gate";
            // A delivery that found no instance is retried soon (default 5 s, doubling).
            settings["Sandbox__Webhooks__RetryBaseDelay"] = "00:00:01";
            settings["DevIdentity__Url"] = IdentityOrigin;
            settings["DevIdentity__PortalOrigins__0"] = ProxyOrigin;
            // The sandbox delivers over https to nginx: it trusts exactly the throw-away certificate (OpenSSL's variable).
            settings["SSL_CERT_FILE"] = _certificatePath;
        }

        var directory = Directory.CreateDirectory(Path.Combine(_directory.FullName, instance)).FullName;
        return ChildProcess.Start($"portal {instance}", BuiltPrograms.DotnetHost, [BuiltPrograms.PortalDll], settings, directory);
    }

    private static string Loopback(string scheme, int port) => string.Create(CultureInfo.InvariantCulture, $"{scheme}://127.0.0.1:{port}");
}

/// <summary>
/// A test that runs only where the two-instance set-up can: with nginx installed and a PostgreSQL server to use
/// (<c>PGHOST</c>, which <c>pg_virtualenv</c> sets). <c>./test.sh</c> installs both and runs the tests inside
/// <c>pg_virtualenv</c>, so there it always runs; anywhere else it is skipped with the reason.
/// </summary>
public sealed class TwoInstancesFactAttribute : FactAttribute
{
    public TwoInstancesFactAttribute()
    {
        if (TwoInstancesPrerequisites.Missing is { } reason)
        {
            Skip = reason;
        }
    }
}

internal static class TwoInstancesPrerequisites
{
    /// <summary>Why the two-instance tests cannot run here, or null.</summary>
    public static string? Missing { get; } = Find();

    private static string? Find()
    {
        if (ThrowAwayNginx.FindBinary() is null)
        {
            return "nginx is not installed: ./test.sh installs Debian's nginx package (or: apt-get install -y nginx).";
        }

        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("PGHOST")))
        {
            return "no PostgreSQL server: PGHOST is not set. ./test.sh runs the tests inside a throw-away cluster "
                + "(pg_virtualenv -o fsync=off dotnet test …; Debian's postgresql package).";
        }

        return null;
    }
}
