using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Portal.Components.Pages.Support;
using Portal.Core.Attempts;

namespace Portal.Tests.Support;

/// <summary>The attempt list in bUnit: the URL is the filter, the grid shows the server's page for it.</summary>
public sealed class SupportListPageTests : SupportComponentTest
{
    private NavigationManager Navigation => Services.GetRequiredService<NavigationManager>();

    [Fact]
    public async Task The_grid_shows_the_servers_rows_for_the_filters_in_the_url()
    {
        var waiting = await AttemptWithSessionAsync("gs_list_waiting");
        var returnedBuy = await ReturnedAsync("gs_list_returned_buy", CheckoutFlow.OnRamp);
        var returnedSell = await ReturnedAsync("gs_list_returned_sell", CheckoutFlow.OffRamp);
        Navigation.NavigateTo("/support/attempts?status=processing&flow=on_ramp");

        var cut = Render<Attempts>();

        cut.WaitForAssertion(() => Listed(cut).ShouldBe([returnedBuy.Id]));
        cut.Find("[data-testid=export-csv]").GetAttribute("href").ShouldBe("/support/attempts.csv?status=processing&flow=on_ramp");
        Listed(cut).ShouldNotContain(waiting.Id);
        Listed(cut).ShouldNotContain(returnedSell.Id);
    }

    [Fact]
    public async Task Searching_puts_the_search_in_the_url_next_to_the_other_filters_and_reloads_the_grid()
    {
        var first = await ReturnedAsync("gs_list_search_1", CheckoutFlow.OnRamp);
        var second = await ReturnedAsync("gs_list_search_2", CheckoutFlow.OnRamp);
        Navigation.NavigateTo("/support/attempts?status=processing");
        var cut = Render<Attempts>();
        cut.WaitForAssertion(() => Listed(cut).ShouldBe([second.Id, first.Id], ignoreOrder: true));

        var prefix = first.Id[..12].ToUpperInvariant(); // any case, only the start of the id
        cut.Find("[data-testid=support-search] input, input[data-testid=support-search]").Input(prefix);
        cut.FindAll("button").Single(b => b.TextContent.Trim() == "Search").Click();

        new Uri(Navigation.Uri).PathAndQuery.ShouldBe($"/support/attempts?q={prefix}&status=processing");
        cut.WaitForAssertion(() => Listed(cut).ShouldBe([first.Id]));
        cut.Find("[data-testid=attempt-grid]").TextContent.ShouldContain("attempt id"); // matched on
    }

    [Fact]
    public async Task A_search_with_a_space_keeps_the_text_says_why_and_lists_nothing()
    {
        await ReturnedAsync("gs_list_space", CheckoutFlow.OnRamp);
        var cut = Render<Attempts>();
        cut.WaitForAssertion(() => Listed(cut).ShouldNotBeEmpty());

        cut.Find("[data-testid=support-search] input, input[data-testid=support-search]").Input("att 123");
        cut.FindAll("button").Single(b => b.TextContent.Trim() == "Search").Click();

        new Uri(Navigation.Uri).PathAndQuery.ShouldBe("/support/attempts?q=att%20123");
        cut.WaitForAssertion(() => cut.Find("[data-testid=search-unreadable]").TextContent.ShouldContain("Nothing was searched for \"att 123\": Ids have no spaces"));
        cut.Find("[data-testid=support-search] input, input[data-testid=support-search]").GetAttribute("value").ShouldBe("att 123");
        cut.FindAll("[data-testid=attempt-grid]").ShouldBeEmpty(); // not every attempt, which would read as results
        cut.Find("[data-testid=no-attempt-found]").TextContent.ShouldContain("fix the search");
    }

    [Fact]
    public async Task A_search_that_matches_nothing_says_why_and_that_other_filters_narrowed_it()
    {
        var attempt = await ReturnedAsync("gs_list_nothing", CheckoutFlow.OnRamp);
        Navigation.NavigateTo($"/support/attempts?q={attempt.Id}&status=fulfilled");

        var cut = Render<Attempts>();

        cut.WaitForAssertion(() => cut.Find("[data-testid=no-attempt-found]").TextContent.ShouldContain($"No attempt found for \"{attempt.Id}\""));
        cut.Find("[data-testid=no-attempt-found]").TextContent.ShouldContain("combined with the other filters");
        cut.Find("[data-testid=support-search] input, input[data-testid=support-search]").GetAttribute("value").ShouldBe(attempt.Id);
    }

    [Fact]
    public async Task Quick_views_count_and_list_the_stuck_attempts()
    {
        var stuck = await ReturnedAsync("gs_list_stuck", CheckoutFlow.OnRamp);
        Clock.Advance(TimeSpan.FromMinutes(16));
        var fresh = await ReturnedAsync("gs_list_fresh", CheckoutFlow.OnRamp);

        var cut = Render<Attempts>();
        var confirming = cut.Find("[data-testid=view-confirming-too-long]");
        confirming.TextContent.ShouldContain("Confirming too long (1)");
        confirming.GetAttribute("href").ShouldBe("/support/attempts?view=confirming_too_long");

        Navigation.NavigateTo("/support/attempts?view=confirming_too_long");

        cut.WaitForAssertion(() => Listed(cut).ShouldBe([stuck.Id]));
        Listed(cut).ShouldNotContain(fresh.Id);
    }

    [Fact]
    public async Task Address_parts_the_page_cannot_read_are_named_and_ignored()
    {
        var attempt = await AttemptWithSessionAsync("gs_list_bad_url");
        Navigation.NavigateTo("/support/attempts?status=bogus&range=2w");

        var cut = Render<Attempts>();

        cut.Find("[data-testid=filter-problems]").TextContent.ShouldContain("Unknown status 'bogus'");
        cut.Find("[data-testid=filter-problems]").TextContent.ShouldContain("Unknown range '2w'");
        cut.WaitForAssertion(() => Listed(cut).ShouldContain(attempt.Id));
    }

    [Fact]
    public async Task Pages_come_from_the_server_with_the_total()
    {
        for (var i = 0; i < 12; i++)
        {
            await AttemptWithSessionAsync($"gs_list_page_{i}", account: "acct_pages");
            Clock.Advance(TimeSpan.FromSeconds(1));
        }

        Navigation.NavigateTo("/support/attempts?q=acct_pages");
        var cut = Render<Attempts>();
        cut.WaitForAssertion(() => Listed(cut).Count.ShouldBe(12)); // 25 a page by default

        cut.Find("[data-testid=attempt-grid]").TextContent.ShouldContain("1-12 of 12");
    }

    private async Task<CheckoutAttempt> ReturnedAsync(string sessionId, CheckoutFlow flow)
    {
        var attempt = await AttemptWithSessionAsync(sessionId, flow: flow);
        return (await Writer.UpdateAsync(attempt.Id, (a, at) => a.MarkReturned(at), default)).Attempt!;
    }

    private static List<string> Listed(IRenderedComponent<Attempts> cut) =>
        [.. cut.FindAll("[data-testid=attempt-grid] a[href^='/support/attempts/att_']").Select(a => a.TextContent.Trim())];
}
