using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Portal.Auth;
using Portal.Tests.Auth;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Hosting;

/// <summary>
/// The portal in Production behind nginx terminating TLS (the shipped config): it sees https through the proxy, so the
/// OIDC redirect_uri, the cookies and HSTS are right, and a whole sign-in at the provider comes back through nginx.
/// </summary>
public sealed class BehindTlsProxyTests(TlsProxyFixture proxy) : IClassFixture<TlsProxyFixture>
{
    [Fact]
    public async Task Sign_in_goes_out_and_comes_back_over_https_with_host_prefixed_secure_cookies()
    {
        using var browser = proxy.CreateClient();

        // The portal hands over to the provider, asking it to return to its public https origin.
        using var login = await browser.GetAsync("/login?returnUrl=%2Fcheckout%2Fnew");
        login.StatusCode.ShouldBe(HttpStatusCode.Redirect, proxy.Describe());
        var authorize = login.Headers.Location!;
        authorize.GetLeftPart(UriPartial.Path).ShouldBe(new Uri(proxy.IdentityOrigin, "/connect/authorize").ToString());
        QueryHelpers.ParseQuery(authorize.Query)["redirect_uri"].ToString().ShouldBe($"https://127.0.0.1:{proxy.ProxyPort}/signin-oidc");
        var handshake = SetCookieHeader.From(login);
        handshake.ShouldContain(c => c.Name.StartsWith(AuthenticationHostingExtensions.SecureCorrelationCookiePrefix, StringComparison.Ordinal));
        handshake.ShouldContain(c => c.Name.StartsWith(AuthenticationHostingExtensions.SecureNonceCookiePrefix, StringComparison.Ordinal));
        handshake.ShouldAllBe(c => c.Secure && c.HttpOnly && c.Path == "/" && c.Domain == null);

        // At the provider (plain http on loopback): its login form, as alice.
        var callback = await SignInAtProviderAsync(browser, authorize, "alice");
        callback.GetLeftPart(UriPartial.Path).ShouldBe($"https://127.0.0.1:{proxy.ProxyPort}/signin-oidc");

        // Back through nginx: the code is redeemed and the session cookie set.
        using var signedIn = await browser.GetAsync(callback);
        signedIn.StatusCode.ShouldBe(HttpStatusCode.Redirect, proxy.Describe());
        signedIn.Headers.Location!.OriginalString.ShouldBe("/checkout/new");
        var session = SetCookieHeader.From(signedIn).Where(c => c.Name.StartsWith(AuthenticationHostingExtensions.SecureAuthCookieName, StringComparison.Ordinal)).ToList();
        session.ShouldNotBeEmpty("No session cookie. " + string.Join(" | ", SetCookieHeader.From(signedIn).Select(c => c.Raw)));
        foreach (var cookie in session)
        {
            cookie.ShouldBeAValidHostPrefixedCookie();
            cookie.HttpOnly.ShouldBeTrue(cookie.Raw);
        }

        // The session works through the proxy: signed in, the API answers for itself (404, no such attempt of
        // hers); without the cookie it refuses (401).
        using var mine = await browser.GetAsync("/api/checkout/att_not_there/status");
        mine.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        using var anonymous = proxy.CreateClient();
        using var theirs = await anonymous.GetAsync("/api/checkout/att_not_there/status");
        theirs.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Pages_through_the_proxy_carry_hsts_and_the_security_headers()
    {
        using var browser = proxy.CreateClient();

        using var page = await browser.GetAsync("/");

        page.StatusCode.ShouldBe(HttpStatusCode.OK, proxy.Describe());
        Header(page, "Strict-Transport-Security").ShouldBe("max-age=31536000");
        Header(page, "Referrer-Policy").ShouldBe("strict-origin-when-cross-origin");
        Header(page, "X-Content-Type-Options").ShouldBe("nosniff");
        Header(page, "Permissions-Policy").ShouldContain("payment=(self \"http://127.0.0.1:9\")");
        Header(page, "Permissions-Policy").ShouldContain("microphone=()");
        var csp = page.Headers.GetValues("Content-Security-Policy").Single(policy => policy.Contains("object-src", StringComparison.Ordinal));
        csp.Split(';', StringSplitOptions.TrimEntries).ShouldBe(
            ["frame-src http://127.0.0.1:9", "frame-ancestors 'self'", "object-src 'none'", "base-uri 'self'"], ignoreOrder: true);
    }

    [Fact]
    public async Task Blazor_circuits_connect_through_the_proxy_over_a_websocket()
    {
        using var browser = proxy.CreateClient();
        using var negotiate = await browser.PostAsync("/_blazor/negotiate?negotiateVersion=1", content: null);
        negotiate.StatusCode.ShouldBe(HttpStatusCode.OK, proxy.Describe());
        using var negotiation = JsonDocument.Parse(await negotiate.Content.ReadAsStringAsync());
        var token = negotiation.RootElement.GetProperty("connectionToken").GetString();

        using var socket = new ClientWebSocket();
        socket.Options.RemoteCertificateValidationCallback = (_, certificate, _, _) => proxy.IsThrowAwayCertificate(certificate);
        await socket.ConnectAsync(new Uri($"wss://127.0.0.1:{proxy.ProxyPort}/_blazor?id={token}"), CancellationToken.None);

        socket.State.ShouldBe(WebSocketState.Open);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
    }

    /// <summary>Follows the provider from the authorization request to the redirect back to the portal's callback.</summary>
    private static async Task<Uri> SignInAtProviderAsync(HttpClient browser, Uri authorize, string user)
    {
        using var toLogin = await browser.GetAsync(authorize);
        toLogin.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var loginUrl = new Uri(authorize, toLogin.Headers.Location!);
        var loginPage = await browser.GetStringAsync(loginUrl);

        using var submitted = await browser.PostAsync(new Uri(authorize, "/account/login"), new FormUrlEncodedContent(
        [
            new("__RequestVerificationToken", HtmlForms.HiddenValue(loginPage, "__RequestVerificationToken")),
            new("returnUrl", HtmlForms.HiddenValue(loginPage, "returnUrl")),
            new("username", user),
            new("password", "portal-dev"),
        ]));
        submitted.StatusCode.ShouldBe(HttpStatusCode.Redirect, await submitted.Content.ReadAsStringAsync());

        using var resumed = await browser.GetAsync(new Uri(authorize, submitted.Headers.Location!));
        resumed.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        return resumed.Headers.Location!;
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : throw new ShouldAssertException($"No {name} header.");
}
