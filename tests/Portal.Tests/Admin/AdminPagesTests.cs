using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Portal.Tests.Auth;
using Portal.Tests.Sandbox;

namespace Portal.Tests.Admin;

/// <summary>The admin pages on the real host, with 0Gate pointed at a real sandbox or at a closed port.</summary>
public sealed class AdminPagesTests
{
    [Fact]
    public async Task Integration_health_renders_when_0Gate_is_down_and_never_shows_a_key()
    {
        await using var portal = Portal(gateBaseUrl: "http://127.0.0.1:9", secretKey: "sk_test_admin_page_secret", publishableKey: "pk_test_admin_page_public");
        var ada = await SignedInAsync(portal, "ada", "Ada", "admin");

        var response = await ada.GetAsync("/admin");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        html.ShouldContain(">Admin</h4>");
        html.ShouldContain("pk_test_…");
        html.ShouldContain("Unreachable: 0Gate could not be reached.");
        html.ShouldContain("delivery records are not available right now");
        html.ShouldContain("No rejected deliveries.");
        html.ShouldNotContain("admin_page_secret");
        html.ShouldNotContain("admin_page_public");
    }

    [Fact]
    public async Task Integration_health_shows_0Gate_reachable_and_its_delivery_records()
    {
        await using var sandbox = await SandboxTestHost.StartAsync();
        await sandbox.CreateSessionAsync();
        var eventId = (await sandbox.EventsAsync("gate_session.created")).Single().Str("id");
        await using var portal = Portal(sandbox.BaseAddress.ToString(), SandboxTestHost.SecretKey, SandboxTestHost.PublishableKey);
        var ada = await SignedInAsync(portal, "ada", "Ada", "admin");

        var html = WebUtility.HtmlDecode(await (await ada.GetAsync("/admin")).Content.ReadAsStringAsync());

        html.ShouldContain("Reachable: answered in");
        html.ShouldContain(eventId);
        html.ShouldContain("gate_session.created");
        html.ShouldNotContain(SandboxTestHost.SecretKey);
    }

    [Fact]
    public async Task Allowed_domains_page_lists_0Gates_origins_and_the_read_only_webhook_url()
    {
        await using var sandbox = await SandboxTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Sandbox:Partner:AllowedDomains:1"] = "https://shop.example",
            ["Sandbox:Partner:WebhookUrl"] = "http://localhost:5080/webhooks/0gate",
        });
        await using var portal = Portal(sandbox.BaseAddress.ToString(), SandboxTestHost.SecretKey, SandboxTestHost.PublishableKey);
        var ada = await SignedInAsync(portal, "ada", "Ada", "admin");

        var response = await ada.GetAsync("/admin/allowed-domains");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("<code>http://localhost:5080</code>");
        html.ShouldContain("<code>https://shop.example</code>");
        html.ShouldContain("value=\"http://localhost:5080/webhooks/0gate\"");
        html.ShouldContain("readonly");
    }

    [Fact]
    public async Task Allowed_domains_page_explains_when_0Gate_cannot_be_reached()
    {
        await using var portal = Portal("http://127.0.0.1:9", "sk_test_admin_page", "pk_test_admin_page");
        var ada = await SignedInAsync(portal, "ada", "Ada", "admin");

        var response = await ada.GetAsync("/admin/allowed-domains");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldContain("0Gate could not be reached to read the allowed domains");
    }

    [Fact]
    public async Task A_customer_or_support_agent_is_refused()
    {
        await using var portal = Portal("http://127.0.0.1:9", "sk_test_admin_page", "pk_test_admin_page");
        foreach (var (sub, name, role) in new[] { ("alice", "Alice", "customer"), ("sam", "Sam", "support") })
        {
            var client = await SignedInAsync(portal, sub, name, role);
            foreach (var page in new[] { "/admin", "/admin/allowed-domains" })
            {
                var response = await client.GetAsync(page);

                response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
                response.Headers.Location!.AbsolutePath.ShouldBe("/access-denied");
            }
        }
    }

    /// <summary>A <see cref="PortalAuthFactory"/> host whose 0Gate settings point elsewhere.</summary>
    private static PortalHost Portal(string gateBaseUrl, string secretKey, string publishableKey)
    {
        var auth = new PortalAuthFactory();
        var configured = auth.WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Gate:ApiBaseUrl", gateBaseUrl);
            builder.UseSetting("Gate:HostedBaseUrl", gateBaseUrl);
            builder.UseSetting("Gate:SecretKey", secretKey);
            builder.UseSetting("Gate:PublishableKey", publishableKey);
        });
        return new PortalHost(auth, configured);
    }

    /// <summary>Signs in through <see cref="PortalAuthFactory"/>'s test-only endpoint (kept by the derived host).</summary>
    private static async Task<HttpClient> SignedInAsync(PortalHost host, string subject, string name, string role)
    {
        var client = host.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var response = await client.GetAsync($"/test-only/sign-in?sub={subject}&name={name}&role={role}");
        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        return client;
    }

    private sealed class PortalHost(PortalAuthFactory auth, WebApplicationFactory<Program> factory) : IAsyncDisposable
    {
        public WebApplicationFactory<Program> Factory => factory;

        public async ValueTask DisposeAsync()
        {
            await factory.DisposeAsync();
            await auth.DisposeAsync();
        }
    }
}
