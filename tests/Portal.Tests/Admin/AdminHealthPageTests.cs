using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Attempts;
using Portal.Core.Checkout;
using Portal.Core.Records;
using Portal.Core.Webhooks;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Admin;

/// <summary>The health page on the real host over stored rows (0Gate unreachable: its panels degrade, the charts do not).</summary>
public abstract class AdminHealthPageTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : PortalAppFactory
{
    [Fact]
    public async Task The_page_draws_the_charts_from_stored_rows_with_their_text_equivalents()
    {
        var now = DateTimeOffset.UtcNow;
        await factory.WithDbAsync(async db =>
        {
            db.ProcessedEvents.Add(new ProcessedEvent("evt_page_" + Guid.NewGuid().ToString("n"), "gate_session.completed", now.AddMinutes(-3), now.AddMinutes(-3).AddSeconds(-1))
            {
                Outcome = EventOutcome.UnknownSession,
                SecretFingerprint = WebhookSecretFingerprint.Of(PortalAppFactory.WebhookSecret),
            });
            return await db.SaveChangesAsync();
        });
        var writer = factory.Services.GetRequiredService<AttemptWriter>();
        var attempt = await writer.CreateAsync(new NewAttempt("acct_page", CheckoutFlow.OnRamp, 12m, "EUR"), default);
        await writer.AttachSessionAsync(attempt.Id, "gs_page_" + Guid.NewGuid().ToString("n"), "req_page", default);
        var ada = await factory.SignedInClientAsync("ada", "Ada", "admin");

        var html = WebUtility.HtmlDecode(await (await ada.GetAsync("/admin?window=1h")).Content.ReadAsStringAsync());

        html.ShouldContain("data-testid=\"traffic-chart\"");
        html.ShouldContain("Webhook deliveries, last hour (UTC)");
        html.ShouldMatch("(?s)data-testid=\"traffic-chart-drawing\".*?<svg");
        html.ShouldMatch(@"In the last hour: \d+ processed \(.*unknown_session \d+.*\)");
        html.ShouldContain("data-testid=\"states-chart\"");
        html.ShouldMatch(@"requires action \d+");
        html.ShouldContain("data-testid=\"funnel-chart\"");
        html.ShouldContain("data-testid=\"latency-chart\"");
        html.ShouldContain("0Gate session quota");
        html.ShouldContain("Unknown: 0Gate reports no usage");
        // The secrets panel: both configured secrets by fingerprint, the current one seen verifying; never a secret.
        html.ShouldContain(WebhookSecretFingerprint.Of(PortalAppFactory.WebhookSecret));
        html.ShouldContain(WebhookSecretFingerprint.Of(PortalAppFactory.RotatedWebhookSecret));
        html.ShouldNotContain(PortalAppFactory.WebhookSecret);
        html.ShouldNotContain(PortalAppFactory.RotatedWebhookSecret);
        html.ShouldNotContain("sk_test_portal_tests");
    }

    [Theory]
    [InlineData("/admin?window=bogus", "last 24 hours")]
    [InlineData("/admin?window=7d", "last 7 days")]
    [InlineData("/admin?window=%00%ff", "last 24 hours")]
    public async Task Any_window_value_answers_200_and_junk_falls_back_to_a_day(string url, string shown)
    {
        var ada = await factory.SignedInClientAsync("ada", "Ada", "admin");

        var response = await ada.GetAsync(url);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()).ShouldContain($"Webhook deliveries, {shown} (UTC)");
    }

    [Fact]
    public async Task Test_mode_shows_the_banner_on_every_page_and_links_the_developer_tools()
    {
        var ada = await factory.SignedInClientAsync("ada", "Ada", "admin");
        var alice = await factory.SignedInClientAsync("alice", "Alice", "customer");

        var admin = await (await ada.GetAsync("/admin")).Content.ReadAsStringAsync();
        var home = await (await alice.GetAsync("/")).Content.ReadAsStringAsync();

        admin.ShouldContain("data-testid=\"environment-banner\"");
        admin.ShouldContain("data-testid=\"developer-tools-link\"");
        home.ShouldContain("data-testid=\"environment-banner\"");
        home.ShouldContain("role=\"status\"");
    }
}

public sealed class AdminHealthPageTestsOnSqlite(PortalAppFactory factory) : AdminHealthPageTests<PortalAppFactory>(factory);

public sealed class AdminHealthPageTestsOnPostgreSql(PostgresPortalAppFactory factory) : AdminHealthPageTests<PostgresPortalAppFactory>(factory);
