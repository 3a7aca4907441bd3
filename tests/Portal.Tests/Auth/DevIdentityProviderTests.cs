using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace Portal.Tests.Auth;

/// <summary>The development OpenID provider, driven over HTTP the way a browser and the portal would.</summary>
public sealed class DevIdentityProviderTests(DevIdentityFixture provider) : IClassFixture<DevIdentityFixture>
{
    private const string RedirectUri = DevIdentityFixture.PortalOrigin + "/signin-oidc";

    [Fact]
    public async Task Discovery_document_describes_a_code_flow_provider_with_pkce()
    {
        using var client = provider.CreateClient();

        using var discovery = JsonDocument.Parse(await client.GetStringAsync("/.well-known/openid-configuration"));

        var root = discovery.RootElement;
        root.GetProperty("issuer").GetString()!.TrimEnd('/').ShouldBe(provider.Url.GetLeftPart(UriPartial.Authority));
        foreach (var endpoint in new[] { "authorization_endpoint", "token_endpoint", "userinfo_endpoint", "end_session_endpoint", "jwks_uri" })
        {
            root.GetProperty(endpoint).GetString().ShouldStartWith(provider.Url.GetLeftPart(UriPartial.Authority));
        }

        root.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(method => method.GetString()).ShouldContain("S256");
        using var keys = JsonDocument.Parse(await client.GetStringAsync(root.GetProperty("jwks_uri").GetString()));
        keys.RootElement.GetProperty("keys").GetArrayLength().ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Login_page_has_labelled_fields_and_a_sign_in_button()
    {
        using var client = provider.CreateClient();

        var html = await client.GetStringAsync("/account/login");

        html.ShouldContain("<label for=\"username\">Username</label>");
        html.ShouldContain("<label for=\"password\">Password</label>");
        html.ShouldContain(">Sign in</button>");
    }

    [Fact]
    public async Task Wrong_password_shows_a_message_and_starts_no_session()
    {
        using var client = provider.CreateClient();
        var token = HtmlForms.HiddenValue(await client.GetStringAsync("/account/login"), "__RequestVerificationToken");

        var response = await client.PostAsync("/account/login", Form(token, "alice", "not-the-password"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldContain("Wrong username or password.");
        SetCookies(response).ShouldNotContain(cookie => cookie.StartsWith(".DevIdentity.Session", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Login_without_antiforgery_token_is_refused()
    {
        using var client = provider.CreateClient();

        var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(
            [new("username", "alice"), new("password", "portal-dev"), new("returnUrl", "/")]));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        SetCookies(response).ShouldNotContain(cookie => cookie.StartsWith(".DevIdentity.Session", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("alice", "Alice", "customer")]
    [InlineData("sam", "Sam", "support")]
    [InlineData("ada", "Ada", "admin")]
    public async Task Code_flow_with_pkce_issues_an_id_token_with_name_and_role(string user, string name, string role)
    {
        using var client = provider.CreateClient();
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

        // The portal sends the browser to the authorization endpoint; the provider asks the user to sign in.
        var authorize = await client.GetAsync(AuthorizeUrl(challenge));
        authorize.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var loginUrl = authorize.Headers.Location!.OriginalString;
        loginUrl.ShouldStartWith("/account/login?returnUrl=");

        var loginPage = await client.GetStringAsync(loginUrl);
        var signIn = await client.PostAsync("/account/login", Form(
            HtmlForms.HiddenValue(loginPage, "__RequestVerificationToken"), user, "portal-dev", HtmlForms.HiddenValue(loginPage, "returnUrl")));
        signIn.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        SetCookies(signIn).ShouldContain(cookie => cookie.StartsWith(".DevIdentity.Session=", StringComparison.Ordinal));

        // Back at the authorization endpoint, signed in: a code for the portal's redirect URI.
        var resumed = await client.GetAsync(signIn.Headers.Location);
        resumed.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        resumed.Headers.Location!.GetLeftPart(UriPartial.Path).ShouldBe(RedirectUri);
        var callback = QueryHelpers.ParseQuery(resumed.Headers.Location.Query);
        callback["state"].ToString().ShouldBe("state-123");

        // The portal redeems the code with its secret and the PKCE verifier.
        var tokenResponse = await client.PostAsync("/connect/token", new FormUrlEncodedContent(
        [
            new("grant_type", "authorization_code"),
            new("code", callback["code"].ToString()),
            new("redirect_uri", RedirectUri),
            new("client_id", "portal"),
            new("client_secret", DevIdentityFixture.ClientSecret),
            new("code_verifier", verifier),
        ]));
        tokenResponse.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var tokens = JsonDocument.Parse(await tokenResponse.Content.ReadAsStringAsync());

        using var idToken = JwtPayload(tokens.RootElement.GetProperty("id_token").GetString()!);
        idToken.RootElement.GetProperty("sub").GetString().ShouldBe(user);
        idToken.RootElement.GetProperty("name").GetString().ShouldBe(name);
        idToken.RootElement.GetProperty("role").GetString().ShouldBe(role);
        idToken.RootElement.GetProperty("nonce").GetString().ShouldBe("nonce-123");

        using var userInfoRequest = new HttpRequestMessage(HttpMethod.Get, "/connect/userinfo");
        userInfoRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.RootElement.GetProperty("access_token").GetString());
        using var userInfo = JsonDocument.Parse(await (await client.SendAsync(userInfoRequest)).Content.ReadAsStringAsync());
        userInfo.RootElement.GetProperty("role").GetString().ShouldBe(role);
        userInfo.RootElement.GetProperty("name").GetString().ShouldBe(name);
    }

    [Fact]
    public async Task Code_redeemed_with_the_wrong_verifier_is_refused()
    {
        using var client = provider.CreateClient();
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var code = await SignInAndGetCode(client, "bob", Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));

        var tokenResponse = await client.PostAsync("/connect/token", new FormUrlEncodedContent(
        [
            new("grant_type", "authorization_code"),
            new("code", code),
            new("redirect_uri", RedirectUri),
            new("client_id", "portal"),
            new("client_secret", DevIdentityFixture.ClientSecret),
            new("code_verifier", Base64Url(RandomNumberGenerator.GetBytes(32))),
        ]));

        tokenResponse.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await tokenResponse.Content.ReadAsStringAsync()).ShouldContain("invalid_grant");
    }

    [Fact]
    public async Task Authorization_request_without_pkce_is_refused()
    {
        using var client = provider.CreateClient();

        var response = await client.GetAsync(
            $"/connect/authorize?client_id=portal&response_type=code&scope=openid&state=s&nonce=n&redirect_uri={Uri.EscapeDataString(RedirectUri)}");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var body = await response.Content.ReadAsStringAsync();
        body.ShouldContain("invalid_request");
        body.ShouldContain("code_challenge");
    }

    [Fact]
    public async Task Unregistered_redirect_uri_is_refused_without_redirecting()
    {
        using var client = provider.CreateClient();

        var response = await client.GetAsync(
            $"/connect/authorize?client_id=portal&response_type=code&scope=openid&code_challenge=abc&code_challenge_method=S256&redirect_uri={Uri.EscapeDataString("https://evil.example/signin-oidc")}");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    private static async Task<string> SignInAndGetCode(HttpClient client, string user, string challenge)
    {
        var authorize = await client.GetAsync(AuthorizeUrl(challenge));
        var loginPage = await client.GetStringAsync(authorize.Headers.Location!.OriginalString);
        var signIn = await client.PostAsync("/account/login", Form(
            HtmlForms.HiddenValue(loginPage, "__RequestVerificationToken"), user, "portal-dev", HtmlForms.HiddenValue(loginPage, "returnUrl")));
        var resumed = await client.GetAsync(signIn.Headers.Location);
        return QueryHelpers.ParseQuery(resumed.Headers.Location!.Query)["code"].ToString();
    }

    private static string AuthorizeUrl(string challenge) =>
        "/connect/authorize?client_id=portal&response_type=code&scope=openid%20profile&state=state-123&nonce=nonce-123"
        + $"&code_challenge={challenge}&code_challenge_method=S256&redirect_uri={Uri.EscapeDataString(RedirectUri)}";

    private static FormUrlEncodedContent Form(string token, string user, string password, string returnUrl = "/") =>
        new([new("__RequestVerificationToken", token), new("username", user), new("password", password), new("returnUrl", returnUrl)]);

    private static IEnumerable<string> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [];

    private static JsonDocument JwtPayload(string jwt) =>
        JsonDocument.Parse(Base64UrlDecode(jwt.Split('.')[1]));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] Base64UrlDecode(string value)
    {
        var base64 = value.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '='));
    }
}
