using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Attempts;
using Portal.Core.Checkout;
using Portal.Core.Persistence;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Support;

/// <summary>The support pages on the real host: who may open them, and what the first render shows.</summary>
public abstract class SupportPagesTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : PortalAppFactory
{
    [Fact]
    public async Task Support_opens_any_customers_attempt_and_reads_its_ids_and_timeline()
    {
        var attempt = await AttemptAsync("alice", "gs_page_1");
        await Writer.RecordAsync(new TimelineEntry(attempt.Id, TimelineKind.EventDuplicate, "duplicate delivery ignored", DateTimeOffset.UtcNow)
        {
            EventId = "evt_page_dup",
            EventType = "gate_session.created",
            GateRequestId = "req_page_1",
        }, default);
        var sam = await factory.SignedInClientAsync("sam", "Sam", "support");

        var response = await sam.GetAsync($"/support/attempts/{attempt.Id}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        html.ShouldContain(attempt.Id);
        html.ShouldContain("alice"); // the customer account id
        html.ShouldContain("gs_page_1");
        html.ShouldContain("requires_action");
        html.ShouldContain("pending_session → requires_action (0Gate session attached)"); // state change summary
        html.ShouldContain("0Gate session created");
        html.ShouldContain("duplicate delivery ignored");
        html.ShouldContain("event_duplicate");
        html.ShouldContain("evt_page_dup");
        html.ShouldContain("req_page_1");
        html.ShouldContain(">Reconcile</");
    }

    [Fact]
    public async Task An_admin_reads_attempts_too()
    {
        var attempt = await AttemptAsync("bob", "gs_page_admin");
        var ada = await factory.SignedInClientAsync("ada", "Ada", "admin");

        var response = await ada.GetAsync($"/support/attempts/{attempt.Id}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldContain("gs_page_admin");
    }

    [Fact]
    public async Task An_unknown_attempt_id_answers_404()
    {
        var sam = await factory.SignedInClientAsync("sam", "Sam", "support");

        var missing = await sam.GetAsync($"/support/attempts/{AttemptId.New()}");
        var junk = await sam.GetAsync("/support/attempts/not-an-attempt");

        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        junk.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("/support/attempts/{0}")]
    [InlineData("/support/attempts?q={0}")]
    public async Task A_customer_is_refused_even_for_their_own_attempt(string route)
    {
        var attempt = await AttemptAsync("alice", null);
        var alice = await factory.SignedInClientAsync("alice", "Alice", "customer");

        var response = await alice.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, route, attempt.Id));

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.AbsolutePath.ShouldBe("/access-denied");
    }

    [Fact]
    public async Task The_list_page_carries_its_filters_in_the_address_and_counts_the_quick_views()
    {
        var attempt = await AttemptAsync("dave", "gs_page_flagged");
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            await db.Attempts.Where(a => a.Id == attempt.Id).ExecuteUpdateAsync(set => set.SetProperty(a => a.NeedsReview, true));
        }

        var sam = await factory.SignedInClientAsync("sam", "Sam", "support");
        var html = WebUtility.HtmlDecode(await (await sam.GetAsync("/support/attempts?review=yes&flow=on_ramp")).Content.ReadAsStringAsync());

        html.ShouldMatch(@"Needs review \((\d+)\)");
        int.Parse(System.Text.RegularExpressions.Regex.Match(html, @"Needs review \((\d+)\)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThanOrEqualTo(1);
        html.ShouldContain("href=\"/support/attempts.csv?flow=on_ramp&review=yes\"");
        html.ShouldContain("href=\"/support/attempts?view=confirming_too_long\"");
    }

    [Theory]
    [InlineData("/checkout/{0}/status")]
    [InlineData("/checkout/{0}")]
    [InlineData("/checkout/{0}/return")]
    public async Task Staff_opening_a_customers_checkout_link_get_a_404_that_links_to_the_support_view(string route)
    {
        var sessionId = "gs_page_staff_link_" + Guid.NewGuid().ToString("n");
        var attempt = await AttemptAsync("alice", sessionId);
        var url = string.Format(System.Globalization.CultureInfo.InvariantCulture, route, attempt.Id);
        var sam = await factory.SignedInClientAsync("sam", "Sam", "support");
        var bob = await factory.SignedInClientAsync("bob", "Bob", "customer");

        var staff = await sam.GetAsync(url);
        var otherCustomer = await bob.GetAsync(url);

        staff.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var html = WebUtility.HtmlDecode(await staff.Content.ReadAsStringAsync());
        html.ShouldContain($"href=\"/support/attempts/{attempt.Id}\"");
        html.ShouldNotContain(sessionId); // still nothing of the customer's page
        otherCustomer.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await otherCustomer.Content.ReadAsStringAsync()).ShouldNotContain("/support/attempts");
    }

    [Fact]
    public async Task A_filter_the_page_cannot_read_is_named_and_ignored_not_an_error_page()
    {
        var sam = await factory.SignedInClientAsync("sam", "Sam", "support");

        var response = await sam.GetAsync("/support/attempts?status=bogus&range=2w&q=has%20space");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        html.ShouldContain("Unknown status 'bogus'");
        html.ShouldContain("Unknown range '2w'");
        html.ShouldContain("Ids have no spaces");
        html.ShouldContain("Nothing was searched for \"has space\"");
        html.ShouldContain("value=\"has space\""); // the box keeps what was typed
    }

    [Fact]
    public async Task The_attempt_page_names_the_environment_user_reference_and_return_and_cancel_urls()
    {
        var created = await Writer.CreateAsync(new NewAttempt("erin", CheckoutFlow.OffRamp, 0.5m, "ETH", "EUR", null,
            Target: new SessionTarget("test", new Uri("https://portal.example/"))), default);
        var sam = await factory.SignedInClientAsync("sam", "Sam", "support");

        var html = WebUtility.HtmlDecode(await (await sam.GetAsync($"/support/attempts/{created.Id}")).Content.ReadAsStringAsync());

        html.ShouldContain($"https://portal.example/checkout/{created.Id}/return");
        html.ShouldContain($"https://portal.example/checkout/{created.Id}/cancel");
        html.ShouldContain("origin https://portal.example");
        html.ShouldContain("user_reference sent to 0Gate");
        html.ShouldContain(">test<");
        html.ShouldNotContain("sk_test_portal_tests"); // the secret key never reaches a page
        html.ShouldNotContain("whsec_");
    }

    private AttemptWriter Writer => factory.Services.GetRequiredService<AttemptWriter>();

    private async Task<CheckoutAttempt> AttemptAsync(string owner, string? sessionId)
    {
        var attempt = await Writer.CreateAsync(new NewAttempt(owner, CheckoutFlow.OnRamp, 30m, "EUR", "USDC", "polygon"), default);
        return sessionId is null ? attempt : (await Writer.AttachSessionAsync(attempt.Id, sessionId, "req_attach", default)).Attempt!;
    }
}

public sealed class SupportPagesTestsOnSqlite(PortalAppFactory factory) : SupportPagesTests<PortalAppFactory>(factory);

public sealed class SupportPagesTestsOnPostgreSql(PostgresPortalAppFactory factory) : SupportPagesTests<PostgresPortalAppFactory>(factory);
