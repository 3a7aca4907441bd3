using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gate.Sandbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace Portal.E2E.Sandbox;

/// <summary>
/// Headless Chromium: the hosted page renders inside a page from an allowed origin (and posts its
/// outcome to that origin), and is refused inside a page from any other origin.
/// </summary>
public sealed class HostedPageFramingTests : IAsyncLifetime
{
    private const string SecretKey = "sk_test_e2e_sandbox";
    private const string PublishableKey = "pk_test_e2e_sandbox";

    private readonly string _directory = Directory.CreateTempSubdirectory("gate-sandbox-e2e").FullName;
    private WebApplication _allowedSite = null!;
    private WebApplication _otherSite = null!;
    private WebApplication _sandbox = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async Task InitializeAsync()
    {
        _allowedSite = await StartPartnerSiteAsync();
        _otherSite = await StartPartnerSiteAsync();
        _sandbox = SandboxApp.Build(new SandboxHostOptions
        {
            Settings = new Dictionary<string, string?>
            {
                ["Sandbox:Url"] = "http://127.0.0.1:0",
                ["Sandbox:ConnectionString"] = $"Data Source={Path.Combine(_directory, "sandbox.db")};Pooling=False",
                ["Sandbox:Partner:SecretKey"] = SecretKey,
                ["Sandbox:Partner:PublishableKey"] = PublishableKey,
                ["Sandbox:Partner:WebhookSecret"] = "whsec_e2e_sandbox",
                ["Sandbox:Partner:AllowedDomains:0"] = Origin(_allowedSite),
                ["Logging:LogLevel:Default"] = "Warning",
            },
        });
        await _sandbox.StartAsync();

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("PORTAL_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        foreach (var app in new[] { _sandbox, _allowedSite, _otherSite })
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Hosted_page_renders_in_an_allowed_origin_and_posts_completion_to_it()
    {
        var (sessionId, embedUrl) = await CreateSessionAsync();
        var page = await _browser.NewPageAsync();

        await page.GotoAsync($"{Origin(_allowedSite)}/checkout?src={Uri.EscapeDataString(embedUrl)}");
        var frame = page.FrameLocator("iframe");
        await Assertions.Expect(frame.GetByText("25.00 EUR")).ToBeVisibleAsync();
        foreach (var name in new[] { "Fail", "Cancel", "Require verification" })
        {
            (await frame.GetByRole(AriaRole.Button, new() { Name = name, Exact = true }).CountAsync()).ShouldBe(1);
        }
        await frame.GetByRole(AriaRole.Button, new() { Name = "Complete", Exact = true }).ClickAsync();
        await page.WaitForFunctionAsync("() => window.received.length > 0");

        var message = await page.EvaluateAsync<JsonElement>("() => window.received[0]");
        message.GetProperty("origin").GetString().ShouldBe(Origin(_sandbox));
        message.GetProperty("data").GetProperty("type").GetString().ShouldBe("0gate.completed");
        message.GetProperty("data").GetProperty("session_id").GetString().ShouldBe(sessionId);
    }

    [Fact]
    public async Task Hosted_page_is_refused_inside_an_origin_that_is_not_allowed()
    {
        var (_, embedUrl) = await CreateSessionAsync();
        var page = await _browser.NewPageAsync();
        var refused = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("frame-ancestors", StringComparison.Ordinal))
            {
                refused.TrySetResult(message.Text);
            }
        };

        await page.GotoAsync($"{Origin(_otherSite)}/checkout?src={Uri.EscapeDataString(embedUrl)}");
        await page.WaitForFunctionAsync("() => window.frameLoaded === true");

        (await refused.Task.WaitAsync(TimeSpan.FromSeconds(15))).ShouldContain("frame-ancestors");
        (await page.FrameLocator("iframe").GetByRole(AriaRole.Button, new() { Name = "Complete", Exact = true }).CountAsync()).ShouldBe(0);
    }

    private async Task<(string SessionId, string EmbedUrl)> CreateSessionAsync()
    {
        using var client = new HttpClient { BaseAddress = new Uri(Origin(_sandbox)) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SecretKey);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/gate_sessions")
        {
            Content = new StringContent("""{"amount":"25.00","currency":"EUR","return_url":"https://shop.example/r","user_reference":"att_e2e"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        using var response = await client.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var session = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var url = $"{Origin(_sandbox)}/embed?pk={PublishableKey}#client_secret={session.GetProperty("client_secret").GetString()}";
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
