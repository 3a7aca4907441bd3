using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Attempts;
using Portal.Core.Checkout;
using Portal.Core.Reads;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Checkout;

/// <summary>
/// "My attempts" is the customer's whole history: paged past 50 (newest first, pages never overlap), filtered by state
/// and kind in the address, labelled for phones, each row opening its status page, and nobody else's attempts.
/// </summary>
public sealed partial class MyAttemptsPageTests : IClassFixture<PortalAppFactory>
{
    private const int Count = 55;
    private readonly PortalAppFactory _app;

    public MyAttemptsPageTests(PortalAppFactory app) => _app = app;

    [Fact]
    public async Task Paging_reaches_every_attempt_past_50_newest_first_without_overlap()
    {
        var (subject, created) = await HistoryAsync();
        var client = await _app.SignedInClientAsync(subject, "History", "customer");

        var first = await IdsOnAsync(client, "/checkout/attempts");
        var second = await IdsOnAsync(client, "/checkout/attempts?page=2");
        var third = await IdsOnAsync(client, "/checkout/attempts?page=3");

        first.Count.ShouldBe(20);
        second.Count.ShouldBe(20);
        third.Count.ShouldBe(Count - 40);
        first[0].ShouldBe(created[^1]); // the newest first
        third[^1].ShouldBe(created[0]); // the oldest, on the page past 50
        first.Concat(second).Concat(third).ShouldBe(created.AsEnumerable().Reverse());

        var html = await client.GetStringAsync("/checkout/attempts?page=3");
        html.ShouldContain("41–55 of 55");
        html.ShouldContain("Page 3 of 3");
        html.ShouldContain("href=\"/checkout/attempts?page=2\"");
    }

    [Fact]
    public async Task Filters_by_state_and_kind_and_keep_them_while_paging()
    {
        var (subject, created) = await HistoryAsync();
        var client = await _app.SignedInClientAsync(subject, "History", "customer");
        var attempts = _app.Services.GetRequiredService<AttemptReads>();
        var expected = new List<string>();
        foreach (var id in created.AsEnumerable().Reverse())
        {
            var attempt = (await attempts.GetAsync(id, default))!;
            if (attempt is { Status: AttemptStatus.Failed, Flow: CheckoutFlow.Swap })
            {
                expected.Add(id);
            }
        }

        var ids = await IdsOnAsync(client, "/checkout/attempts?status=failed&kind=swap");

        expected.ShouldNotBeEmpty();
        ids.ShouldBe(expected);
        (await IdsOnAsync(client, "/checkout/attempts?status=fulfilled")).ShouldBeEmpty();
        (await IdsOnAsync(client, "/checkout/attempts?status=nonsense&kind=ON_RAMP&page=-3")).Count.ShouldBe(20); // read as "all"
    }

    [Fact]
    public async Task Rows_are_labelled_for_phones_and_link_to_their_status_page_and_show_only_the_owners_attempts()
    {
        var (subject, created) = await HistoryAsync();
        var (_, others) = await HistoryAsync(count: 3);
        var client = await _app.SignedInClientAsync(subject, "History", "customer");

        var response = await client.GetAsync("/checkout/attempts");
        var html = await response.Content.ReadAsStringAsync();

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        foreach (var label in new[] { "Started", "Kind", "Amount", "Status", "Reference" })
        {
            html.ShouldContain($"data-label=\"{label}\"");
        }

        html.ShouldContain($"href=\"/checkout/{created[^1]}/status\"");
        foreach (var id in others)
        {
            html.ShouldNotContain(id);
        }

        html.ShouldContain("<main");
        html.ShouldContain("<title>My attempts</title>");
    }

    /// <summary>A new customer with <paramref name="count"/> attempts of every kind, some failed; their ids oldest first.</summary>
    private async Task<(string Subject, List<string> Created)> HistoryAsync(int count = Count)
    {
        var subject = "history-" + Guid.NewGuid().ToString("n")[..8];
        var writer = _app.Services.GetRequiredService<AttemptWriter>();
        var flows = new[] { CheckoutFlow.OnRamp, CheckoutFlow.OffRamp, CheckoutFlow.Swap };
        var created = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var attempt = await writer.CreateAsync(new NewAttempt(subject, flows[i % 3], 10m + i, "EUR"), default);
            if (i % 2 == 0)
            {
                await writer.UpdateAsync(attempt.Id, (a, now) => a.Close(AttemptStatus.Failed, new CloseCause(AttemptCloser.Refusal, "test"), now), default);
            }

            created.Add(attempt.Id);
        }

        return (subject, created);
    }

    private static async Task<List<string>> IdsOnAsync(HttpClient client, string url)
    {
        var html = await client.GetStringAsync(url);
        return [.. StatusLink().Matches(html).Select(m => m.Groups["id"].Value)];
    }

    [GeneratedRegex("<a[^>]*href=\"/checkout/(?<id>att_[a-z2-7]+)/status\"")]
    private static partial Regex StatusLink();
}
