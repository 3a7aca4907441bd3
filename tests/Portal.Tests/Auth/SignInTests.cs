using System.Net;
using Microsoft.AspNetCore.WebUtilities;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Auth;

/// <summary>/login hands over to the provider (code flow + PKCE) and only ever returns to a local path.</summary>
public sealed class SignInTests(PortalAppFactory factory) : IClassFixture<PortalAppFactory>
{
    [Fact]
    public async Task Login_challenges_the_provider_with_code_flow_and_pkce()
    {
        var client = factory.CreateBrowserlessClient();

        var response = await client.GetAsync("/login?returnUrl=%2Fsupport%2Fattempts");

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var location = response.Headers.Location!;
        location.GetLeftPart(UriPartial.Path).ShouldBe(PortalAppFactory.Authority + "/connect/authorize");
        var query = QueryHelpers.ParseQuery(location.Query);
        query["client_id"].ToString().ShouldBe("portal");
        query["response_type"].ToString().ShouldBe("code");
        query["code_challenge_method"].ToString().ShouldBe("S256");
        query["code_challenge"].ToString().ShouldNotBeNullOrEmpty();
        query["scope"].ToString().Split(' ').ShouldContain("openid");
        query["redirect_uri"].ToString().ShouldEndWith("/signin-oidc");
        query.ContainsKey("client_secret").ShouldBeFalse();
        factory.ReadChallengeState(query["state"]!).RedirectUri.ShouldBe("/support/attempts");
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("javascript:alert(1)")]
    public async Task Foreign_return_urls_land_on_the_start_page(string returnUrl)
    {
        var client = factory.CreateBrowserlessClient();

        var response = await client.GetAsync($"/login?returnUrl={Uri.EscapeDataString(returnUrl)}");

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var state = QueryHelpers.ParseQuery(response.Headers.Location!.Query)["state"];
        factory.ReadChallengeState(state!).RedirectUri.ShouldBe("/");
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("javascript:alert(1)")]
    public async Task Signed_in_user_is_not_redirected_off_site_either(string returnUrl)
    {
        var client = await factory.SignedInClientAsync("alice", "Alice", "customer");

        var response = await client.GetAsync($"/login?returnUrl={Uri.EscapeDataString(returnUrl)}");

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.ShouldBe("/");
    }

    [Fact]
    public async Task Session_cookie_is_http_only_and_lax()
    {
        var client = factory.CreateBrowserlessClient();

        var response = await client.GetAsync("/test-only/sign-in?sub=alice&name=Alice&role=customer");

        var cookie = response.Headers.GetValues("Set-Cookie").Single(value => value.StartsWith(".Portal.Auth=", StringComparison.Ordinal));
        cookie.ShouldContain("httponly", Case.Insensitive);
        cookie.ShouldContain("samesite=lax", Case.Insensitive);
        cookie.ShouldNotContain("secure", Case.Insensitive); // served over http here; SameAsRequest adds it under https
    }
}
