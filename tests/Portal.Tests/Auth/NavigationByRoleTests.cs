using System.Net;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Auth;

/// <summary>The app bar shows who is signed in and only the areas their role can open.</summary>
public sealed class NavigationByRoleTests(PortalAppFactory factory) : IClassFixture<PortalAppFactory>
{
    private const string MyAttempts = "href=\"/checkout/attempts\"";
    private const string Support = "href=\"/support/attempts\"";
    private const string Admin = "href=\"/admin\"";

    [Fact]
    public async Task Customer_sees_own_attempts_but_no_staff_areas()
    {
        var html = await StartPageFor("alice", "Alice", "customer");

        html.ShouldContain(MyAttempts);
        html.ShouldNotContain(Support);
        html.ShouldNotContain(Admin);
        html.ShouldContain(">Alice</");
        html.ShouldContain(">customer</");
    }

    [Fact]
    public async Task Support_agent_sees_support_but_not_admin()
    {
        var html = await StartPageFor("sam", "Sam", "support");

        html.ShouldContain(Support);
        html.ShouldNotContain(Admin);
        html.ShouldNotContain(MyAttempts);
        html.ShouldContain(">Sam</");
    }

    [Fact]
    public async Task Admin_sees_support_and_admin()
    {
        var html = await StartPageFor("ada", "Ada", "admin");

        html.ShouldContain(Support);
        html.ShouldContain(Admin);
        html.ShouldContain(">admin</");
    }

    [Fact]
    public async Task Signed_in_page_offers_an_antiforgery_protected_sign_out()
    {
        var html = await StartPageFor("alice", "Alice", "customer");

        html.ShouldContain("action=\"/logout\"");
        HtmlForms.HiddenValue(html, "__RequestVerificationToken").ShouldNotBeNullOrEmpty();
    }

    private async Task<string> StartPageFor(string subject, string name, string role)
    {
        var client = await factory.SignedInClientAsync(subject, name, role);
        var response = await client.GetAsync("/");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return await response.Content.ReadAsStringAsync();
    }
}
