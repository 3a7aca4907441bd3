using System.Net;
using Portal.Tests.Infrastructure;
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

    private static GatePointedFactory Portal(string gateBaseUrl, string secretKey, string publishableKey) =>
        new GatePointedFactory(gateBaseUrl, secretKey, publishableKey);

    private static Task<HttpClient> SignedInAsync(PortalAppFactory portal, string subject, string name, string role) =>
        portal.SignedInClientAsync(subject, name, role);

    /// <summary>The portal host with its 0Gate settings pointed at a sandbox or a closed port.</summary>
    private sealed class GatePointedFactory(string gateBaseUrl, string secretKey, string publishableKey) : PortalAppFactory
    {
        protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings() =>
        [
            new("Gate:ApiBaseUrl", gateBaseUrl),
            new("Gate:HostedBaseUrl", gateBaseUrl),
            new("Gate:SecretKey", secretKey),
            new("Gate:PublishableKey", publishableKey),
        ];
    }
}
