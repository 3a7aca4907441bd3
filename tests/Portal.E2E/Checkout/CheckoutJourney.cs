using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Attempts;
using Portal.Core.Reads;

namespace Portal.E2E.Checkout;

/// <summary>Steps of the customer journey, driven as a person would, plus the sandbox's tester switches.</summary>
internal sealed partial class CheckoutJourney(PortalFixture portal, IPage page)
{
    private const string SandboxSecretKey = "sk_test_portal_sandbox";

    public IPage Page => page;

    public IFrameLocator Hosted => page.FrameLocator("iframe[data-testid=gate-frame]");

    public async Task SignInAsync(string user, string returnUrl)
    {
        await page.GotoAsync($"/login?returnUrl={Uri.EscapeDataString(returnUrl)}");
        await page.SignInAsync(user);
        await Expect(page).ToHaveURLAsync(portal.BaseUrl + returnUrl);
    }

    /// <summary>Fills the start form (choices keep their preselected first option unless given) and opens the hosted flow.</summary>
    public async Task<string> StartAsync(string flow, string amount, IReadOnlyDictionary<string, string>? choices = null)
    {
        await OpenStartFormAsync(flow);
        foreach (var (label, option) in choices ?? new Dictionary<string, string>())
        {
            await ChooseAsync(label, option);
        }

        await page.GetByLabel("Amount").FillAsync(amount);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();

        // Every flow is reviewed before the hosted flow opens.
        await Expect(page.GetByTestId("review-amount")).ToContainTextAsync(amount);
        await page.GetByRole(AriaRole.Button, new() { Name = ConfirmButton(flow) }).ClickAsync();

        await Expect(page).ToHaveURLAsync(AttemptPage());
        await Expect(Hosted.GetByRole(AriaRole.Button, new() { Name = "Complete" })).ToBeVisibleAsync();
        return AttemptPage().Match(page.Url).Groups["id"].Value;
    }

    public static string ConfirmButton(string flow) => flow switch
    {
        "on_ramp" => "Confirm buy",
        "off_ramp" => "Confirm sell",
        _ => "Confirm swap",
    };

    public async Task ChooseAsync(string label, string option)
    {
        await page.Locator(".mud-select").Filter(new() { HasText = label }).First.ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = option, Exact = true }).ClickAsync();
    }

    public Task PressInHostedPageAsync(string button) =>
        Hosted.GetByRole(AriaRole.Button, new() { Name = button }).ClickAsync();

    public async Task ExpectOutcomeAsync(string view, string message)
    {
        await Expect(page.GetByTestId("outcome")).ToHaveAttributeAsync("data-view", view);
        await Expect(page.GetByTestId("outcome-message")).ToHaveTextAsync(message);
    }

    public Task<CheckoutAttempt?> AttemptAsync(string attemptId) =>
        portal.Server.Services.GetRequiredService<AttemptReads>().GetAsync(attemptId, CancellationToken.None);

    public Task<IReadOnlyList<TimelineEntry>> TimelineAsync(string attemptId) =>
        portal.Server.Services.GetRequiredService<AttemptReads>().GetTimelineAsync(attemptId, CancellationToken.None);

    /// <summary>The sandbox's failure-mode switches (docs/sandbox.md).</summary>
    public async Task SetWebhookBehaviorAsync(object behavior)
    {
        using var sandbox = SandboxClient();
        using var response = await sandbox.PutAsJsonAsync("/v1/sandbox/webhook_behavior", behavior);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Switches capabilities off at the sandbox (<c>[]</c> switches them back on).</summary>
    public async Task SetCapabilitiesAsync(object disabled)
    {
        using var sandbox = SandboxClient();
        using var response = await sandbox.PutAsJsonAsync("/v1/sandbox/capabilities", disabled);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Makes the portal forget and re-read 0Gate's capabilities now.</summary>
    public Task ReadCapabilitiesFreshAsync()
    {
        var capabilities = portal.Server.Services.GetRequiredService<Portal.Core.Gate.GateCapabilitiesCache>();
        capabilities.Invalidate();
        return capabilities.GetAsync(CancellationToken.None);
    }

    public Task ResetWebhookBehaviorAsync() =>
        SetWebhookBehaviorAsync(new { delay_ms = 0, duplicate = false, reorder_batch_size = 0, fail_first = 0 });

    private HttpClient SandboxClient()
    {
        var client = new HttpClient { BaseAddress = new Uri(portal.Server.Options.SandboxUrl) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SandboxSecretKey);
        return client;
    }

    private async Task OpenStartFormAsync(string flow)
    {
        await page.GotoAsync($"/checkout/new?flow={flow}");
        await page.WaitForCircuitAsync();
        await Expect(page.GetByLabel("Amount")).ToBeVisibleAsync();
    }

    [GeneratedRegex(@"/checkout/(?<id>att_[a-z2-7]{26})$")]
    private static partial Regex AttemptPage();
}
