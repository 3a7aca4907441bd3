using Bunit;
using MudBlazor;
using MudBlazor.Extensions;
using Portal.Components.Admin;
using Portal.Tests.Components;

namespace Portal.Tests.Admin;

public sealed class AllowedDomainsEditorTests : PortalComponentTest
{
    [Theory]
    [InlineData("https://*.example.com", "contains a wildcard")]
    [InlineData("shop.example.com", "needs a scheme")]
    [InlineData("https://shop.example.com/checkout", "has a path, query or fragment")]
    [InlineData("https://user@shop.example.com", "contains a user name or password")]
    [InlineData("ftp://shop.example.com", "only http and https origins")]
    [InlineData("", "Enter an origin such as https://shop.example.com.")]
    public void A_bad_origin_shows_why_beside_the_field_and_is_not_added(string input, string message)
    {
        var cut = Render<AllowedDomainsEditor>(p => p.Add(e => e.Origins, ["http://localhost:5080"]));

        Type(cut, input);
        Click(cut, "Add");

        cut.Markup.ShouldContain(message);
        Listed(cut).ShouldBe(["http://localhost:5080"]);
        cut.FindComponent<MudTextField<string>>().Instance.GetState(x => x.Error).ShouldBeTrue();
    }

    [Fact]
    public void A_good_origin_is_normalized_added_and_the_field_cleared()
    {
        var cut = Render<AllowedDomainsEditor>(p => p.Add(e => e.Origins, ["http://localhost:5080"]));

        Type(cut, " HTTPS://Shop.Example.com:443/ ");
        Click(cut, "Add");

        Listed(cut).ShouldBe(["http://localhost:5080", "https://shop.example.com"]);
        cut.FindComponent<MudTextField<string>>().Instance.GetState(x => x.Value).ShouldBeNull();
        cut.FindComponent<MudTextField<string>>().Instance.GetState(x => x.Error).ShouldBeFalse();
    }

    [Fact]
    public void A_duplicate_is_refused()
    {
        var cut = Render<AllowedDomainsEditor>(p => p.Add(e => e.Origins, ["https://shop.example.com"]));

        Type(cut, "https://SHOP.example.com");
        Click(cut, "Add");

        cut.Markup.ShouldContain("https://shop.example.com is already in the list.");
        Listed(cut).ShouldBe(["https://shop.example.com"]);
    }

    [Fact]
    public void Live_mode_refuses_plain_http_for_a_public_host()
    {
        var cut = Render<AllowedDomainsEditor>(p => p.Add(e => e.Origins, Array.Empty<string>()).Add(e => e.Live, true));

        Type(cut, "http://shop.example.com");
        Click(cut, "Add");

        cut.Markup.ShouldContain("must use https: in live mode only localhost may use http");
    }

    [Fact]
    public void Save_hands_the_edited_list_to_the_page_and_is_disabled_until_something_changed()
    {
        IReadOnlyList<string>? saved = null;
        var cut = Render<AllowedDomainsEditor>(p => p
            .Add(e => e.Origins, ["http://localhost:5080", "https://old.example"])
            .Add(e => e.OnSave, (IReadOnlyList<string> list) => saved = list));
        Button(cut, "Save").HasAttribute("disabled").ShouldBeTrue();

        cut.Find("button[aria-label='Remove https://old.example']").Click();
        Type(cut, "https://new.example");
        Click(cut, "Add");
        Click(cut, "Save");

        saved.ShouldBe(["http://localhost:5080", "https://new.example"]);
    }

    [Fact]
    public void Removing_every_origin_warns_that_nothing_can_embed_the_checkout()
    {
        var cut = Render<AllowedDomainsEditor>(p => p.Add(e => e.Origins, ["http://localhost:5080"]));

        cut.Find("button[aria-label='Remove http://localhost:5080']").Click();

        cut.Find("[data-testid=no-origins]").TextContent.ShouldContain("cannot be embedded anywhere");
    }

    [Fact]
    public void Problems_0Gate_or_the_server_found_are_shown_beside_their_origin()
    {
        var cut = Render<AllowedDomainsEditor>(p => p
            .Add(e => e.Origins, ["https://a.example", "https://b.example"])
            .Add(e => e.ServerProblems, new Dictionary<int, string> { [1] = "0Gate refused this origin." }));

        cut.FindAll("[data-testid=origin-list] tr")[1].TextContent.ShouldContain("0Gate refused this origin.");
    }

    [Fact]
    public void Removing_the_portals_own_origin_warns_and_waits_for_confirmation()
    {
        var cut = RenderWithOwnOrigin(["http://localhost:5080", "https://shop.example"]);

        cut.Find("button[aria-label='Remove http://localhost:5080']").Click();

        var confirm = cut.Find("[data-testid=confirm-own-origin-removal]");
        confirm.GetAttribute("role").ShouldBe("alertdialog");
        confirm.TextContent.ShouldContain("checkouts will stop loading here");
        confirm.TextContent.ShouldContain("\"localhost refused to connect\"");
        Listed(cut).ShouldBe(["http://localhost:5080", "https://shop.example"]); // not removed yet
        Button(cut, "Save").HasAttribute("disabled").ShouldBeTrue();

        Click(cut, "Keep it");

        cut.FindAll("[data-testid=confirm-own-origin-removal]").ShouldBeEmpty();
        Listed(cut).ShouldBe(["http://localhost:5080", "https://shop.example"]);

        cut.Find("button[aria-label='Remove http://localhost:5080']").Click();
        Click(cut, "Remove anyway");

        Listed(cut).ShouldBe(["https://shop.example"]);
        cut.Find("[data-testid=own-origin-missing]").TextContent.ShouldContain("checkouts here will not load");
        cut.Find("[data-testid=embeds-here]").TextContent.ShouldContain("cannot load in this portal");
        Button(cut, "Save").HasAttribute("disabled").ShouldBeFalse();
    }

    [Fact]
    public void Removing_another_origin_needs_no_confirmation_and_the_own_origin_can_be_added_back()
    {
        var cut = RenderWithOwnOrigin(["https://shop.example"]);

        cut.Find("[data-testid=own-origin-missing]").TextContent.ShouldContain("http://localhost:5080");
        Click(cut, "Add it");
        Listed(cut).ShouldBe(["https://shop.example", "http://localhost:5080"]);

        cut.Find("button[aria-label='Remove https://shop.example']").Click();

        cut.FindAll("[data-testid=confirm-own-origin-removal]").ShouldBeEmpty();
        Listed(cut).ShouldBe(["http://localhost:5080"]);
    }

    [Fact]
    public void The_preview_shows_the_frame_ancestors_0Gate_will_send_and_the_portals_frame_src()
    {
        var cut = RenderWithOwnOrigin(["http://localhost:5080"]);

        cut.Find("[data-testid=frame-ancestors-preview]").TextContent.ShouldBe("Content-Security-Policy: frame-ancestors http://localhost:5080");
        cut.Find("[data-testid=frame-src-preview]").TextContent.ShouldBe("Content-Security-Policy: frame-src http://localhost:5081; …");
        cut.Find("[data-testid=embeds-here]").TextContent.ShouldContain("The checkout can load in this portal");

        Type(cut, "https://shop.example");
        Click(cut, "Add");

        cut.Find("[data-testid=frame-ancestors-preview]").TextContent.ShouldBe("Content-Security-Policy: frame-ancestors http://localhost:5080 https://shop.example");
        cut.Find("[data-testid=csp-preview]").TextContent.ShouldContain("after saving");

        cut.Find("button[aria-label='Remove http://localhost:5080']").Click();
        Click(cut, "Remove anyway");
        cut.Find("button[aria-label='Remove https://shop.example']").Click();

        cut.Find("[data-testid=frame-ancestors-preview]").TextContent.ShouldBe("Content-Security-Policy: frame-ancestors 'none'");
    }

    private IRenderedComponent<AllowedDomainsEditor> RenderWithOwnOrigin(string[] origins) =>
        Render<AllowedDomainsEditor>(p => p
            .Add(e => e.Origins, origins)
            .Add(e => e.OwnOrigin, "http://localhost:5080")
            .Add(e => e.HostedOrigin, "http://localhost:5081"));

    private static void Type(IRenderedComponent<AllowedDomainsEditor> cut, string value) =>
        cut.FindComponent<MudTextField<string>>().Find("input").Input(value);

    private static AngleSharp.Dom.IElement Button(IRenderedComponent<AllowedDomainsEditor> cut, string text) =>
        cut.FindAll("button").Single(b => b.TextContent.Trim() == text);

    private static void Click(IRenderedComponent<AllowedDomainsEditor> cut, string text) => Button(cut, text).Click();

    private static IReadOnlyList<string> Listed(IRenderedComponent<AllowedDomainsEditor> cut) =>
        [.. cut.FindAll("[data-testid=origin-list] code").Select(c => c.TextContent)];
}
