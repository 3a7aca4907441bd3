using System.Net;
using Microsoft.AspNetCore.WebUtilities;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Auth;

public sealed class SignOutTests(PortalAppFactory factory) : IClassFixture<PortalAppFactory>
{
    [Fact]
    public async Task Sign_out_without_antiforgery_token_is_refused_and_keeps_the_session()
    {
        var client = await factory.SignedInClientAsync("sam", "Sam", "support");

        var response = await client.PostAsync("/logout", new FormUrlEncodedContent([]));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await client.GetAsync("/support/attempts")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Sign_out_ends_the_portal_session_and_the_provider_session()
    {
        var client = await factory.SignedInClientAsync("sam", "Sam", "support");
        var page = await client.GetStringAsync("/support/attempts");
        var token = HtmlForms.HiddenValue(page, "__RequestVerificationToken");

        var response = await client.PostAsync("/logout", new FormUrlEncodedContent([new("__RequestVerificationToken", token)]));

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var location = response.Headers.Location!;
        location.GetLeftPart(UriPartial.Path).ShouldBe(PortalAppFactory.Authority + "/connect/endsession");
        QueryHelpers.ParseQuery(location.Query)["post_logout_redirect_uri"].ToString().ShouldEndWith("/signout-callback-oidc");
        var again = await client.GetAsync("/support/attempts");
        again.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        again.Headers.Location!.AbsolutePath.ShouldBe("/login");
    }
}
