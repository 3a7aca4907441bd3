using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Portal.E2E;

[Collection(PortalE2E.Collection)]
public sealed partial class HomePageTests(PortalFixture portal)
{
    [Fact]
    public Task Home_page_renders_with_MudBlazor_styles() => portal.RunPageAsync(async page =>
    {
        var console = new PageConsoleLog(page);

        var responses = new ConcurrentQueue<IResponse>();
        page.Response += (_, response) => responses.Enqueue(response);

        // GotoAsync returns on the load event, after the page's stylesheets have arrived.
        (await page.GotoAsync("/"))!.Status.ShouldBe(200);
        responses.ShouldContain(
            response => MudBlazorStylesheet().IsMatch(response.Url) && response.Status == 200,
            "MudBlazor's stylesheet was not served");

        // Blazor replaces the prerendered markup when the circuit starts; read styles from the markup that stays.
        await page.WaitForCircuitAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "0Gate partner portal" })).ToBeVisibleAsync();

        // Only MudBlazor's stylesheet fixes the app bar; only its theme variables give it an opaque colour.
        await Expect(page.Locator("header.mud-appbar")).ToHaveCSSAsync("position", "fixed");
        await Expect(page.Locator("header.mud-appbar")).ToHaveCSSAsync("background-color", OpaqueColour());

        console.Entries.ShouldBeEmpty();
    });

    [Fact]
    public Task The_page_names_a_favicon_that_is_served() => portal.RunPageAsync(async page =>
    {
        await page.GotoAsync("/");

        var href = await page.Locator("link[rel=icon]").GetAttributeAsync("href");
        href.ShouldNotBeNull();
        var icon = await page.APIRequest.GetAsync(href);
        icon.Status.ShouldBe(200);
        icon.Headers["content-type"].ShouldStartWith("image/svg+xml");
    });

    [GeneratedRegex(@"/_content/MudBlazor/MudBlazor\.min(\.[a-z0-9]+)?\.css(\?|$)")]
    private static partial Regex MudBlazorStylesheet();

    /// <summary>Computed colours are <c>rgb(r, g, b)</c> when opaque and <c>rgba(…, 0)</c> when transparent.</summary>
    [GeneratedRegex(@"^rgb\(")]
    private static partial Regex OpaqueColour();
}
