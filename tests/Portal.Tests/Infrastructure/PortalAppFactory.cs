using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Portal.Core.Persistence;

namespace Portal.Tests.Infrastructure;

/// <summary>
/// The real portal host with only its edges replaced: a throwaway database (a SQLite file, which also holds the key ring),
/// no in-process stand-ins, known test Gate keys (two webhook secrets, as during a rotation) on an unreachable 0Gate,
/// and an identity provider that is never called (its metadata is supplied here). Sessions are real portal cookies
/// minted by a test-only endpoint, so the cookie handler, policies and redirects under test are the real ones.
/// Each factory instance gets its own database; derive and override <see cref="ExtraSettings"/> for other settings.
/// </summary>
public class PortalAppFactory : WebApplicationFactory<Program>
{
    public const string WebhookSecret = "whsec_portal_tests_current";
    public const string RotatedWebhookSecret = "whsec_portal_tests_previous";

    /// <summary>The identity provider the portal is configured with; nothing listens there.</summary>
    public const string Authority = "https://identity.test";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "portal-tests", Guid.NewGuid().ToString("n"));

    private string? _postgres;

    public string DatabasePath => Path.Combine(_directory, "portal.db");

    /// <summary>The store this host runs on: SQLite (a file in its own folder) unless a derived factory says otherwise.</summary>
    public virtual Portal.Core.Persistence.StoreProvider Provider => Portal.Core.Persistence.StoreProvider.Sqlite;

    /// <summary>Extra settings a test class needs (applied last).</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> ExtraSettings() => [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(_directory);
        builder.UseEnvironment("Development");
        var extra = ExtraSettings().ToList();
        var ownDatabase = !extra.Any(s => s.Key == "ConnectionStrings:Portal");
        var settings = new Dictionary<string, string?>
        {
            ["Store:Provider"] = Provider.ToString(),
            ["ConnectionStrings:Portal"] = Provider == Portal.Core.Persistence.StoreProvider.PostgreSql
                ? ownDatabase ? _postgres ??= PostgresServer.CreateDatabase() : null
                : $"Data Source={DatabasePath}",
            // Test output shows warnings and errors; the hosts' request-by-request information would drown them.
            ["Logging:LogLevel:Default"] = "Warning",
            ["Sandbox:Enabled"] = "false",
            ["DevIdentity:Enabled"] = "false",
            // No mail catcher on a fixed port; tests of the emails give their own SMTP server (OutcomeEmailTests).
            ["DevMail:Enabled"] = "false",
            ["Email:SmtpHost"] = "",
            ["Gate:ApiBaseUrl"] = "http://127.0.0.1:9",
            ["Gate:HostedBaseUrl"] = "http://127.0.0.1:9",
            ["Gate:SecretKey"] = "sk_test_portal_tests",
            ["Gate:PublishableKey"] = "pk_test_portal_tests",
            ["Gate:WebhookSecrets:0"] = WebhookSecret,
            ["Gate:WebhookSecrets:1"] = RotatedWebhookSecret,
            ["Oidc:Authority"] = Authority,
            ["Oidc:ClientId"] = "portal",
            ["Oidc:ClientSecret"] = "test-client-secret",
            // One test client signs in and starts checkouts far more often than a person; tests of the limits lower them.
            ["RateLimits:SignInPerMinute"] = "100000",
            ["RateLimits:CheckoutStartsPerMinute"] = "100000",
            ["RateLimits:ReconcilesPerMinute"] = "100000",
            ["RateLimits:InvalidDeliveriesPerMinute"] = "100000",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.Configure<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme, oidc =>
                oidc.Configuration = new OpenIdConnectConfiguration
                {
                    Issuer = Authority + "/",
                    AuthorizationEndpoint = Authority + "/connect/authorize",
                    TokenEndpoint = Authority + "/connect/token",
                    EndSessionEndpoint = Authority + "/connect/endsession",
                });
            services.AddSingleton<IStartupFilter, TestSignInEndpoint>();
        });
    }

    public async Task<T> WithDbAsync<T>(Func<PortalDbContext, Task<T>> query)
    {
        var factory = Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        return await query(db);
    }

    /// <summary>A client that does not follow redirects (tests assert them) and keeps cookies; on <c>ClientOptions.BaseAddress</c>.</summary>
    public HttpClient CreateBrowserlessClient() =>
        CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = ClientOptions.BaseAddress });

    /// <summary>A client holding a portal session for a user with the given role, as the provider would have issued.</summary>
    public async Task<HttpClient> SignedInClientAsync(string subject, string name, string role)
    {
        var client = CreateBrowserlessClient();
        var response = await client.GetAsync(
            $"{TestSignInEndpoint.Path}?sub={Uri.EscapeDataString(subject)}&name={Uri.EscapeDataString(name)}&role={Uri.EscapeDataString(role)}");
        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        return client;
    }

    /// <summary>The <c>Cookie</c> header of a fresh session for that user, to present to another host (another instance).</summary>
    public async Task<string> SessionCookieAsync(string subject, string name, string role)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var response = await client.GetAsync(
            $"{TestSignInEndpoint.Path}?sub={Uri.EscapeDataString(subject)}&name={Uri.EscapeDataString(name)}&role={Uri.EscapeDataString(role)}");
        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        return string.Join("; ", response.Headers.GetValues("Set-Cookie").Select(cookie => cookie.Split(';')[0]));
    }

    /// <summary>Reads the sign-in properties the OpenID Connect handler sealed into the <c>state</c> parameter.</summary>
    public AuthenticationProperties ReadChallengeState(string state)
    {
        var oidc = Services.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(OpenIdConnectDefaults.AuthenticationScheme);
        return oidc.StateDataFormat.Unprotect(state) ?? throw new InvalidOperationException("The state could not be read.");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            SqliteConnection.ClearAllPools();
            if (_postgres is not null)
            {
                PostgresServer.DropDatabase(_postgres);
            }

            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open on a slow shutdown; the OS temp cleaner gets it.
            }
        }
    }

    private sealed class TestSignInEndpoint : IStartupFilter
    {
        public const string Path = "/test-only/sign-in";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            // Not app.Map: a branch would move the path into PathBase and scope the cookie to it.
            app.Use(async (http, nextMiddleware) =>
            {
                if (http.Request.Path != Path)
                {
                    await nextMiddleware(http);
                    return;
                }

                var query = http.Request.Query;
                var identity = new ClaimsIdentity("test", "name", "role");
                identity.AddClaim(new Claim("sub", query["sub"].ToString()));
                identity.AddClaim(new Claim("name", query["name"].ToString()));
                identity.AddClaim(new Claim("role", query["role"].ToString()));
                await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
                http.Response.StatusCode = StatusCodes.Status204NoContent;
            });
            next(app);
        };
    }
}

/// <summary>The same real host on a fresh PostgreSQL database of the test cluster (see <see cref="PostgresServer"/>).</summary>
public class PostgresPortalAppFactory : PortalAppFactory
{
    public override Portal.Core.Persistence.StoreProvider Provider => Portal.Core.Persistence.StoreProvider.PostgreSql;
}
