using System.Net;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Auth;

/// <summary>The first HTTP request to a page is authorized on the server, before anything renders.</summary>
public sealed class PageAuthorizationTests(PortalAppFactory factory) : IClassFixture<PortalAppFactory>
{
    public static TheoryData<string> StaffPages => ["/support/attempts", "/admin", "/admin/allowed-domains"];

    [Theory]
    [MemberData(nameof(StaffPages))]
    public async Task Anonymous_visitor_is_sent_to_sign_in_and_back(string page)
    {
        var client = factory.CreateBrowserlessClient();

        var response = await client.GetAsync(page);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.PathAndQuery.ShouldBe($"/login?returnUrl={Uri.EscapeDataString(page)}");
    }

    [Theory]
    [MemberData(nameof(StaffPages))]
    public async Task Customer_is_refused_staff_pages_with_403(string page)
    {
        var client = await factory.SignedInClientAsync("alice", "Alice", "customer");

        var response = await client.GetAsync(page);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.AbsolutePath.ShouldBe("/access-denied");
        var denied = await client.GetAsync(response.Headers.Location);
        denied.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await denied.Content.ReadAsStringAsync()).ShouldContain("Access denied");
    }

    [Fact]
    public async Task Support_agent_reaches_the_support_area()
    {
        var client = await factory.SignedInClientAsync("sam", "Sam", "support");

        var response = await client.GetAsync("/support/attempts");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldContain(">Support</h1>");
    }

    [Theory]
    [InlineData("/admin")]
    [InlineData("/admin/allowed-domains")]
    public async Task Support_agent_is_refused_admin_pages(string page)
    {
        var client = await factory.SignedInClientAsync("sam", "Sam", "support");

        var response = await client.GetAsync(page);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.AbsolutePath.ShouldBe("/access-denied");
    }

    [Theory]
    [InlineData("/admin", ">Admin</h1>")]
    [InlineData("/admin/allowed-domains", ">Allowed domains</h1>")]
    [InlineData("/support/attempts", ">Support</h1>")]
    public async Task Admin_reaches_admin_and_support_pages(string page, string heading)
    {
        var client = await factory.SignedInClientAsync("ada", "Ada", "admin");

        var response = await client.GetAsync(page);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldContain(heading);
    }

    [Fact]
    public async Task Start_page_stays_open_to_anonymous_visitors_and_offers_sign_in()
    {
        var client = factory.CreateBrowserlessClient();

        var response = await client.GetAsync("/");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("href=\"/login?returnUrl=%2F\"");
        html.ShouldNotContain("href=\"/support/attempts\"");
        html.ShouldNotContain("href=\"/admin\"");
    }
}
