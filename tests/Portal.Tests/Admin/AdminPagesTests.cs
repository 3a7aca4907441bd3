using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Admin;
using Portal.Core.Records;
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
        html.ShouldContain(">Admin</h1>");
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

    [Theory]
    [InlineData("http://localhost", false)]
    [InlineData("http://localhost:5080", true)]
    public async Task Allowed_domains_page_knows_the_origin_it_was_reached_at_and_previews_the_policies(string allowed, bool ownMissing)
    {
        await using var sandbox = await SandboxTestHost.StartAsync(new Dictionary<string, string?> { ["Sandbox:Partner:AllowedDomains:0"] = allowed });
        await using var portal = Portal(sandbox.BaseAddress.ToString(), SandboxTestHost.SecretKey, SandboxTestHost.PublishableKey);
        var ada = await SignedInAsync(portal, "ada", "Ada", "admin");

        // The in-memory host is reached at http://localhost: that is the origin customers use here.
        var html = WebUtility.HtmlDecode(await (await ada.GetAsync("/admin/allowed-domains")).Content.ReadAsStringAsync());

        html.ShouldContain($"Content-Security-Policy: frame-ancestors {allowed}");
        html.ShouldContain($"Content-Security-Policy: frame-src {sandbox.BaseAddress.GetLeftPart(UriPartial.Authority)}");
        if (ownMissing)
        {
            html.ShouldContain("This portal's origin <code>http://localhost</code> is not in the list");
            html.ShouldContain("The checkout cannot load in this portal");
        }
        else
        {
            html.ShouldNotContain("data-testid=\"own-origin-missing\"");
            html.ShouldContain("The checkout can load in this portal");
        }
    }

    [Fact]
    public async Task In_live_mode_there_is_no_banner_no_developer_tools_and_the_tools_refuse_without_calling_0Gate()
    {
        await using var sandbox = await SandboxTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Sandbox:Partner:SecretKey"] = "sk_live_admin_pages",
            ["Sandbox:Partner:PublishableKey"] = "pk_live_admin_pages",
        });
        await using var portal = Portal(sandbox.BaseAddress.ToString(), "sk_live_admin_pages", "pk_live_admin_pages");
        var ada = await SignedInAsync(portal, "ada", "Ada", "admin");

        var admin = await ada.GetAsync("/admin");
        var tools = await ada.GetAsync("/admin/developer-tools");
        var developerTools = portal.Services.GetRequiredService<DeveloperTools>();
        var sent = await developerTools.SendTestEventAsync(new StaffMember("ada", "Ada", "admin"), "gate_session.completed", default);
        var resent = await developerTools.ResendAsync(new StaffMember("ada", "Ada", "admin"), "evt_anything", default);

        admin.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await admin.Content.ReadAsStringAsync();
        html.ShouldNotContain("environment-banner");
        html.ShouldNotContain("developer-tools");
        tools.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await tools.Content.ReadAsStringAsync()).ShouldNotContain("Send test event");
        developerTools.Available.ShouldBeFalse();
        sent.ShouldBe(DeveloperToolResult.Refused(DeveloperTools.LiveRefusal));
        resent.ShouldBe(DeveloperToolResult.Refused(DeveloperTools.LiveRefusal));
        (await sandbox.EventsAsync("gate_session.completed")).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_customer_or_support_agent_is_refused()
    {
        await using var portal = Portal("http://127.0.0.1:9", "sk_test_admin_page", "pk_test_admin_page");
        foreach (var (sub, name, role) in new[] { ("alice", "Alice", "customer"), ("sam", "Sam", "support") })
        {
            var client = await SignedInAsync(portal, sub, name, role);
            foreach (var page in new[] { "/admin", "/admin/allowed-domains", "/admin/developer-tools" })
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
