using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Portal.Tests.Auth;

/// <summary>
/// The real portal host with its edges replaced: a throwaway data folder, no in-process stand-ins, and an
/// identity provider that is never called (its metadata is supplied here). Sessions are real portal cookies,
/// minted by a test-only endpoint, so the cookie handler, policies and redirects under test are the real ones.
/// </summary>
public sealed class PortalAuthFactory : WebApplicationFactory<Program>
{
    public const string Authority = "https://identity.test";

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"portal-auth-tests-{Guid.NewGuid():N}");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("DevIdentity:Enabled", "false");
        builder.UseSetting("Sandbox:Enabled", "false");
        builder.UseSetting("ConnectionStrings:Portal", $"Data Source={Path.Combine(_dataDirectory, "portal.db")}");
        builder.UseSetting("DataProtection:KeysPath", Path.Combine(_dataDirectory, "keys"));
        builder.UseSetting("Oidc:Authority", Authority);
        builder.UseSetting("Oidc:ClientId", "portal");
        builder.UseSetting("Oidc:ClientSecret", "test-client-secret");

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

    /// <summary>A client that does not follow redirects (tests assert them) and keeps cookies.</summary>
    public HttpClient CreateBrowserlessClient() =>
        CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>A client holding a portal session for a user with the given role, as the provider would have issued.</summary>
    public async Task<HttpClient> SignedInClientAsync(string subject, string name, string role)
    {
        var client = CreateBrowserlessClient();
        var response = await client.GetAsync(
            $"{TestSignInEndpoint.Path}?sub={Uri.EscapeDataString(subject)}&name={Uri.EscapeDataString(name)}&role={Uri.EscapeDataString(role)}");
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.NoContent);
        return client;
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
        if (disposing && Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
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
