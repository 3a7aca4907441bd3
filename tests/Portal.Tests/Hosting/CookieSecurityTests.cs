using System.Net;
using Microsoft.AspNetCore.Hosting;
using Portal.Auth;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Hosting;

/// <summary>
/// Cookies outside Development are Secure and <c>__Host-</c> prefixed (the session, the OIDC correlation and nonce
/// cookies, antiforgery); Development on plain http keeps today's names. <c>Cookies:Secure</c> overrides either way.
/// </summary>
public sealed class CookieSecurityTests
{
    [Fact]
    public async Task Production_sign_in_handshake_cookies_are_secure_and_host_prefixed()
    {
        using var factory = new ProductionPortalFactory();

        using var response = await factory.CreateBrowserlessClient().GetAsync("/login");

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var cookies = SetCookieHeader.From(response);
        var correlation = cookies.Single(c => c.Name.StartsWith(AuthenticationHostingExtensions.SecureCorrelationCookiePrefix, StringComparison.Ordinal));
        var nonce = cookies.Single(c => c.Name.StartsWith(AuthenticationHostingExtensions.SecureNonceCookiePrefix, StringComparison.Ordinal));
        foreach (var cookie in new[] { correlation, nonce })
        {
            cookie.ShouldBeAValidHostPrefixedCookie();
            cookie.HttpOnly.ShouldBeTrue(cookie.Raw);
            cookie.SameSite.ShouldBe("lax", cookie.Raw, StringCompareShould.IgnoreCase);
        }
    }

    [Fact]
    public async Task Production_session_cookie_is_host_prefixed_secure_and_http_only()
    {
        using var factory = new ProductionPortalFactory();

        using var response = await factory.CreateBrowserlessClient().GetAsync("/test-only/sign-in?sub=alice&name=Alice&role=customer");

        var session = SetCookieHeader.From(response).Single(c => c.Name == AuthenticationHostingExtensions.SecureAuthCookieName);
        session.ShouldBeAValidHostPrefixedCookie();
        session.HttpOnly.ShouldBeTrue(session.Raw);
        session.SameSite.ShouldBe("lax", session.Raw, StringCompareShould.IgnoreCase);
    }

    [Fact]
    public async Task Production_antiforgery_cookie_is_host_prefixed_and_secure()
    {
        using var factory = new ProductionPortalFactory();
        var client = await factory.SignedInClientAsync("sam", "Sam", "support");

        // Every signed-in page has the sign-out form, and with it an antiforgery token.
        using var response = await client.GetAsync("/support/attempts");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var antiforgery = SetCookieHeader.From(response).Single(c => c.Name == AuthenticationHostingExtensions.SecureAntiforgeryCookieName);
        antiforgery.ShouldBeAValidHostPrefixedCookie();
        antiforgery.HttpOnly.ShouldBeTrue(antiforgery.Raw);
    }

    [Fact]
    public async Task Development_over_http_keeps_plain_names_without_secure()
    {
        using var factory = new PortalAppFactory();
        var client = factory.CreateBrowserlessClient();

        using var login = await client.GetAsync("/login");
        using var signIn = await client.GetAsync("/test-only/sign-in?sub=sam&name=Sam&role=support");
        using var page = await client.GetAsync("/support/attempts");

        var cookies = SetCookieHeader.From(login).Concat(SetCookieHeader.From(signIn)).Concat(SetCookieHeader.From(page)).ToList();
        cookies.Select(c => c.Name).ShouldContain(AuthenticationHostingExtensions.AuthCookieName);
        cookies.ShouldContain(c => c.Name.StartsWith(".AspNetCore.Correlation.", StringComparison.Ordinal));
        cookies.ShouldContain(c => c.Name.StartsWith(".AspNetCore.OpenIdConnect.Nonce.", StringComparison.Ordinal));
        cookies.ShouldContain(c => c.Name.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal));
        cookies.ShouldAllBe(c => !c.Secure && !c.Name.StartsWith("__Host-"));
    }

    [Theory]
    [InlineData("Production", "false", AuthenticationHostingExtensions.AuthCookieName, false)]
    [InlineData("Development", "true", AuthenticationHostingExtensions.SecureAuthCookieName, true)]
    [InlineData("Staging", null, AuthenticationHostingExtensions.SecureAuthCookieName, true)]
    public async Task Cookies_Secure_decides_and_defaults_from_the_environment(string environment, string? secure, string sessionCookie, bool secureFlag)
    {
        using var baseFactory = new PortalAppFactory();
        using var factory = baseFactory.WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment(environment);
            if (secure is not null)
            {
                builder.UseSetting("Cookies:Secure", secure);
            }
        });
        // Over plain http, so Secure shows only when the setting forces it (SameAsRequest would leave it off).
        var client = factory.CreateClient(new() { AllowAutoRedirect = false, BaseAddress = new Uri("http://portal.example") });

        using var response = await client.GetAsync("/test-only/sign-in?sub=alice&name=Alice&role=customer");

        var session = SetCookieHeader.From(response).Single(c => c.Name == sessionCookie);
        session.Secure.ShouldBe(secureFlag, session.Raw);
    }
}
