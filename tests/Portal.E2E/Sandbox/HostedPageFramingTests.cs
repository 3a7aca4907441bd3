using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gate.Sandbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Portal.E2E.Sandbox;

/// <summary>
/// Headless Chromium: the hosted page renders inside a page from an allowed origin (and posts its
/// outcome to that origin), and is refused inside a page from any other origin. The sandbox here is a
/// partner's own (its allowed domain is a partner site started for the test), not the portal's; the
/// browser is the collection's.
/// </summary>
[Collection(PortalE2E.Collection)]
public sealed class HostedPageFramingTests(PortalFixture portal, HostedPageFramingTests.Sites sites)
    : IClassFixture<HostedPageFramingTests.Sites>
{
    private static readonly string[] OtherOutcomes = ["Fail", "Cancel", "Require verification"];

    /// <summary>A 0Gate sandbox that allows one partner site, and a second site it does not allow.</summary>
    public sealed class Sites : IAsyncLifetime
    {
        public const string SecretKey = "sk_test_e2e_sandbox";
        public const string PublishableKey = "pk_test_e2e_sandbox";

        private readonly string _directory = Directory.CreateTempSubdirectory("gate-sandbox-e2e").FullName;

        public WebApplication AllowedSite { get; private set; } = null!;

        public WebApplication OtherSite { get; private set; } = null!;

        public WebApplication Sandbox { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            AllowedSite = await StartPartnerSiteAsync();
            OtherSite = await StartPartnerSiteAsync();
            Sandbox = SandboxApp.Build(new SandboxHostOptions
            {
                Settings = new Dictionary<string, string?>
                {
                    ["Sandbox:Url"] = "http://127.0.0.1:0",
                    ["Sandbox:ConnectionString"] = $"Data Source={Path.Combine(_directory, "sandbox.db")};Pooling=False",
                    ["Sandbox:Partner:SecretKey"] = SecretKey,
                    ["Sandbox:Partner:PublishableKey"] = PublishableKey,
                    ["Sandbox:Partner:WebhookSecret"] = "whsec_e2e_sandbox",
                    ["Sandbox:Partner:AllowedDomains:0"] = Origin(AllowedSite),
                    ["Logging:LogLevel:Default"] = "Warning",
                },
            });
            await Sandbox.StartAsync();
        }

        public async Task DisposeAsync()
        {
            foreach (var app in new[] { Sandbox, AllowedSite, OtherSite })
            {
                if (app is not null)
                {
                    await app.StopAsync();
                    await app.DisposeAsync();
                }
            }

            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public Task Hosted_page_renders_in_an_allowed_origin_and_posts_completion_to_it() => portal.RunPageAsync(async page =>
    {
        var (sessionId, embedUrl) = await CreateSessionAsync();

        await page.GotoAsync($"{Origin(sites.AllowedSite)}/checkout?src={Uri.EscapeDataString(embedUrl)}");
        var frame = page.FrameLocator("iframe");
        await Expect(frame.GetByText("25.00 EUR")).ToBeVisibleAsync();
        foreach (var name in OtherOutcomes)
        {
            (await frame.GetByRole(AriaRole.Button, new() { Name = name, Exact = true }).CountAsync()).ShouldBe(1);
        }
        await frame.GetByRole(AriaRole.Button, new() { Name = "Complete", Exact = true }).ClickAsync();
        await page.WaitForFunctionAsync("() => window.received.length > 0");

        var message = await page.EvaluateAsync<JsonElement>("() => window.received[0]");
        message.GetProperty("origin").GetString().ShouldBe(Origin(sites.Sandbox));
        message.GetProperty("data").GetProperty("type").GetString().ShouldBe("0gate.completed");
        message.GetProperty("data").GetProperty("session_id").GetString().ShouldBe(sessionId);
    });

    [Fact]
    public Task Hosted_page_is_refused_inside_an_origin_that_is_not_allowed() => portal.RunPageAsync(async page =>
    {
        var (_, embedUrl) = await CreateSessionAsync();
        var refused = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("frame-ancestors", StringComparison.Ordinal))
            {
                refused.TrySetResult(message.Text);
            }
        };

        await page.GotoAsync($"{Origin(sites.OtherSite)}/checkout?src={Uri.EscapeDataString(embedUrl)}");
        await page.WaitForFunctionAsync("() => window.frameLoaded === true");

        (await refused.Task.WaitAsync(TimeSpan.FromSeconds(15))).ShouldContain("frame-ancestors");
        (await page.FrameLocator("iframe").GetByRole(AriaRole.Button, new() { Name = "Complete", Exact = true }).CountAsync()).ShouldBe(0);
    });

    private async Task<(string SessionId, string EmbedUrl)> CreateSessionAsync()
    {
        using var client = new HttpClient { BaseAddress = new Uri(Origin(sites.Sandbox)) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Sites.SecretKey);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/gate_sessions")
        {
            Content = new StringContent("""{"amount":"25.00","currency":"EUR","return_url":"https://shop.example/r","user_reference":"att_e2e"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        using var response = await client.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var session = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var url = $"{Origin(sites.Sandbox)}/embed?pk={Sites.PublishableKey}#client_secret={session.GetProperty("client_secret").GetString()}";
        return (session.GetProperty("id").GetString()!, url);
    }

    private static string Origin(WebApplication app) => new Uri(app.Urls.First()).GetLeftPart(UriPartial.Authority);

    /// <summary>A partner page that frames the given hosted-page URL and records the messages it receives.</summary>
    private static async Task<WebApplication> StartPartnerSiteAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/checkout", (string src) => Results.Content($$"""
            <!doctype html><html><head><title>Partner checkout</title></head><body>
            <script>window.received = []; window.frameLoaded = false;
            window.addEventListener("message", e => window.received.push({ origin: e.origin, data: e.data }));</script>
            <iframe title="0Gate" width="600" height="500" src="{{WebUtility.HtmlEncode(src)}}" onload="window.frameLoaded = true"></iframe>
            </body></html>
            """, "text/html"));
        await app.StartAsync();
        return app;
    }
}
