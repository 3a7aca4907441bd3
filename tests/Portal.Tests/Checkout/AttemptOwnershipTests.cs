using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Checkout;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Checkout;

/// <summary>Someone else's attempt answers exactly like a missing one, on every route that takes an attempt id.</summary>
public sealed class AttemptOwnershipTests(PortalAppFactory factory) : IClassFixture<PortalAppFactory>
{
    public static TheoryData<string> AttemptRoutes() =>
    [
        "/checkout/{0}",
        "/checkout/{0}/return",
        "/checkout/{0}/cancel",
        "/checkout/{0}/status",
        "/api/checkout/{0}/status",
    ];

    [Theory]
    [MemberData(nameof(AttemptRoutes))]
    public async Task Bob_gets_404_for_alices_attempt_and_changes_nothing(string route)
    {
        var attempt = await AlicesAttemptAsync();
        var bob = await factory.SignedInClientAsync("bob", "Bob", "customer");

        var response = await bob.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, route, attempt.Id));

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).ShouldNotContain(attempt.Id);
        var after = await factory.Services.GetRequiredService<CheckoutAttempts>().GetAsync(attempt.Id, default);
        after!.Status.ShouldBe(AttemptStatus.RequiresAction); // bob's /return or /cancel did not touch it
    }

    [Theory]
    [MemberData(nameof(AttemptRoutes))]
    public async Task A_missing_attempt_answers_the_same_404(string route)
    {
        var bob = await factory.SignedInClientAsync("bob", "Bob", "customer");

        var response = await bob.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, route, AttemptId.New()));

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Alice_reads_her_own_status_as_json()
    {
        var attempt = await AlicesAttemptAsync();
        var alice = await factory.SignedInClientAsync("alice", "Alice", "customer");

        var response = await alice.GetAsync($"/api/checkout/{attempt.Id}/status");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        json.GetProperty("attemptId").GetString().ShouldBe(attempt.Id);
        json.GetProperty("status").GetString().ShouldBe("requires_action");
        json.GetProperty("view").GetString().ShouldBe("requires_action");
        json.GetProperty("canRetry").GetBoolean().ShouldBeFalse();
        json.GetProperty("nextPollMs").GetInt32().ShouldBe(3000);
    }

    [Fact]
    public async Task Alices_status_page_renders_for_her_and_for_support()
    {
        var attempt = await AlicesAttemptAsync();

        foreach (var (sub, name, role) in new[] { ("alice", "Alice", "customer"), ("sam", "Sam", "support") })
        {
            var client = await factory.SignedInClientAsync(sub, name, role);
            var response = await client.GetAsync($"/checkout/{attempt.Id}/status");

            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await response.Content.ReadAsStringAsync()).ShouldContain(attempt.Id);
        }
    }

    [Fact]
    public async Task Anonymous_visitors_are_sent_to_sign_in_not_told_whether_the_attempt_exists()
    {
        var attempt = await AlicesAttemptAsync();
        var anonymous = factory.CreateBrowserlessClient();

        var page = await anonymous.GetAsync($"/checkout/{attempt.Id}/status");
        var json = await anonymous.GetAsync($"/api/checkout/{attempt.Id}/status");

        page.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        page.Headers.Location!.AbsolutePath.ShouldBe("/login");
        json.StatusCode.ShouldBeOneOf(HttpStatusCode.Redirect, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Starting_a_checkout_requires_the_customer_role()
    {
        var sam = await factory.SignedInClientAsync("sam", "Sam", "support");

        var response = await sam.GetAsync("/checkout/new?flow=on_ramp");

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().ShouldContain("access-denied");
    }

    private async Task<CheckoutAttempt> AlicesAttemptAsync()
    {
        var attempts = factory.Services.GetRequiredService<CheckoutAttempts>();
        var attempt = await attempts.CreateAsync(new NewAttempt("alice", CheckoutFlow.OnRamp, 25m, "EUR", "USDC", "base"), default);
        return (await attempts.AttachSessionAsync(attempt.Id, "gs_" + Guid.NewGuid().ToString("n"), null, default))!;
    }
}
