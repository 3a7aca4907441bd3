using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Attempts;
using Portal.Core.Checkout;
using Portal.Core.Reads;
using Portal.Tests.Auth;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Checkout;

/// <summary>
/// Customer routes are the owner's alone (support and admin included, anyone else gets exactly the 404 of a missing
/// id), and no page view moves an attempt: only the owner's confirmed, antiforgery-protected POST cancels.
/// </summary>
public sealed class AttemptOwnershipTests : IClassFixture<AttemptOwnershipTests.Factory>
{
    private readonly Factory _app;

    public AttemptOwnershipTests(Factory app)
    {
        _app = app;
        app.Gate.Reset();
    }

    public sealed class Factory : ScriptedGateFactory;

    public static TheoryData<string> AttemptRoutes() =>
    [
        "/checkout/{0}",
        "/checkout/{0}/return",
        "/checkout/{0}/cancel",
        "/checkout/{0}/status",
        "/api/checkout/{0}/status",
    ];

    public static TheoryData<string, string> StaffOnCustomerRoutes()
    {
        var data = new TheoryData<string, string>();
        foreach (var role in new[] { "support", "admin" })
        {
            foreach (var route in AttemptRoutes())
            {
                data.Add(role, route);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AttemptRoutes))]
    public async Task Bob_gets_404_for_alices_attempt_and_changes_nothing(string route)
    {
        var attempt = await AlicesAttemptAsync();
        var bob = await _app.SignedInClientAsync("bob", "Bob", "customer");

        var response = await bob.GetAsync(Format(route, attempt.Id));

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).ShouldNotContain(attempt.Id);
        await ShouldBeUntouchedAsync(attempt);
    }

    [Theory]
    [MemberData(nameof(StaffOnCustomerRoutes))]
    public async Task Support_and_admin_get_404_on_a_customers_routes_and_change_nothing(string role, string route)
    {
        var attempt = await AlicesAttemptAsync();
        var staff = await _app.SignedInClientAsync(role == "admin" ? "ada" : "sam", role, role);

        var response = await staff.GetAsync(Format(route, attempt.Id));

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        // Nothing of the customer's page: the attempt is named only in the pointer to the support view (pages; the JSON API has none).
        (await response.Content.ReadAsStringAsync()).Replace($"/support/attempts/{attempt.Id}", string.Empty, StringComparison.Ordinal).ShouldNotContain(attempt.Id);
        await ShouldBeUntouchedAsync(attempt);
        (await staff.GetAsync($"/support/attempts/{attempt.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK); // their own view
    }

    [Theory]
    [MemberData(nameof(AttemptRoutes))]
    public async Task A_missing_attempt_answers_the_same_404(string route)
    {
        var bob = await _app.SignedInClientAsync("bob", "Bob", "customer");

        var response = await bob.GetAsync(Format(route, AttemptId.New()));

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Alice_reads_her_own_status_as_json()
    {
        var attempt = await AlicesAttemptAsync();
        var alice = await _app.SignedInClientAsync("alice", "Alice", "customer");

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
    public async Task Alices_status_page_renders_for_her()
    {
        var attempt = await AlicesAttemptAsync();
        var alice = await _app.SignedInClientAsync("alice", "Alice", "customer");

        var response = await alice.GetAsync($"/checkout/{attempt.Id}/status");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldContain(attempt.Id);
    }

    [Fact]
    public async Task Opening_return_before_the_hosted_flow_finished_says_0Gate_has_not_been_heard_from_and_moves_nothing()
    {
        var attempt = await AlicesAttemptAsync();
        var alice = await _app.SignedInClientAsync("alice", "Alice", "customer");

        var html = await (await alice.GetAsync($"/checkout/{attempt.Id}/return")).Content.ReadAsStringAsync();

        html.ShouldContain(CheckoutCopy.NotHeardYet);
        html.ShouldNotContain(CheckoutCopy.Processing); // "Confirming" only once the hosted flow said it finished
        html.ShouldNotContain("Confirming");
        html.ShouldContain("Continue checkout"); // back early: the open session can still be finished
        await ShouldBeUntouchedAsync(attempt);
    }

    [Fact]
    public async Task A_get_of_cancel_by_the_owner_asks_for_confirmation_and_cancels_nothing()
    {
        // What a cross-site <img src=…/cancel>, a link prefetcher or the prerender of the page does: a GET.
        var attempt = await AlicesAttemptAsync();
        var alice = await _app.SignedInClientAsync("alice", "Alice", "customer");

        var response = await alice.GetAsync($"/checkout/{attempt.Id}/cancel");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldContain("Yes, cancel this checkout");
        await ShouldBeUntouchedAsync(attempt);
    }

    [Fact]
    public async Task The_owners_confirmed_cancel_cancels_at_0Gate_once()
    {
        var attempt = await AlicesAttemptAsync();
        var alice = await _app.SignedInClientAsync("alice", "Alice", "customer");
        var token = await CancelFormTokenAsync(alice, attempt.Id);

        var first = await alice.PostAsync($"/checkout/{attempt.Id}/cancel/confirm", Form(token));
        var second = await alice.PostAsync($"/checkout/{attempt.Id}/cancel/confirm", Form(token));

        first.StatusCode.ShouldBe(HttpStatusCode.SeeOther);
        first.Headers.Location!.ToString().ShouldBe($"/checkout/{attempt.Id}/status");
        second.StatusCode.ShouldBe(HttpStatusCode.SeeOther);
        _app.Gate.CancelCalls.ShouldBe(1);
        var stored = await Reads.GetAsync(attempt.Id, default);
        stored!.Status.ShouldBe(AttemptStatus.Cancelled);
        stored.ClosedBy.ShouldBe(AttemptCloser.CancelResponse);
        (await Reads.GetTimelineAsync(attempt.Id, default)).Count(e => e.ToStatus == AttemptStatus.Cancelled).ShouldBe(1);
    }

    [Fact]
    public async Task A_cancel_post_without_the_antiforgery_token_is_refused_and_changes_nothing()
    {
        var attempt = await AlicesAttemptAsync();
        var alice = await _app.SignedInClientAsync("alice", "Alice", "customer");
        await CancelFormTokenAsync(alice, attempt.Id); // the antiforgery cookie is there, the form field is not

        var replayed = await alice.PostAsync($"/checkout/{attempt.Id}/cancel/confirm", new FormUrlEncodedContent([]));

        replayed.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        replayed.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        await ShouldBeUntouchedAsync(attempt);
    }

    [Fact]
    public async Task Bob_cannot_cancel_alices_attempt_even_with_a_valid_form_of_his_own()
    {
        var attempt = await AlicesAttemptAsync();
        var bobsOwn = await AttemptOfAsync("bob");
        var bob = await _app.SignedInClientAsync("bob", "Bob", "customer");
        var token = await CancelFormTokenAsync(bob, bobsOwn.Id);

        var response = await bob.PostAsync($"/checkout/{attempt.Id}/cancel/confirm", Form(token));

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        await ShouldBeUntouchedAsync(attempt);
    }

    [Fact]
    public async Task Anonymous_visitors_are_sent_to_sign_in_not_told_whether_the_attempt_exists()
    {
        var attempt = await AlicesAttemptAsync();
        var anonymous = _app.CreateBrowserlessClient();

        var page = await anonymous.GetAsync($"/checkout/{attempt.Id}/status");
        var json = await anonymous.GetAsync($"/api/checkout/{attempt.Id}/status");

        page.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        page.Headers.Location!.AbsolutePath.ShouldBe("/login");
        json.StatusCode.ShouldBe(HttpStatusCode.Unauthorized); // an API is not sent to a sign-in page
        json.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task The_api_answers_not_found_in_json_and_pages_in_html()
    {
        var attempt = await AlicesAttemptAsync();
        var bob = await _app.SignedInClientAsync("bob", "Bob", "customer");

        var notHis = await bob.GetAsync($"/api/checkout/{attempt.Id}/status");
        var noSuchRoute = await bob.GetAsync("/api/no-such-thing");
        var page = await bob.GetAsync($"/checkout/{attempt.Id}/status");

        foreach (var api in new[] { notHis, noSuchRoute })
        {
            api.StatusCode.ShouldBe(HttpStatusCode.NotFound);
            api.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
            using var problem = System.Text.Json.JsonDocument.Parse(await api.Content.ReadAsStringAsync());
            problem.RootElement.GetProperty("status").GetInt32().ShouldBe(404);
        }

        page.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        page.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
    }

    [Fact]
    public async Task Starting_a_checkout_requires_the_customer_role()
    {
        var sam = await _app.SignedInClientAsync("sam", "Sam", "support");

        var response = await sam.GetAsync("/checkout/new?flow=on_ramp");

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().ShouldContain("access-denied");
    }

    private AttemptReads Reads => _app.Services.GetRequiredService<AttemptReads>();

    private Task<CheckoutAttempt> AlicesAttemptAsync() => AttemptOfAsync("alice");

    private async Task<CheckoutAttempt> AttemptOfAsync(string owner)
    {
        var writer = _app.Services.GetRequiredService<AttemptWriter>();
        var attempt = await writer.CreateAsync(new NewAttempt(owner, CheckoutFlow.OnRamp, 25m, "EUR", "USDC", "base"), default);
        var sessionId = "gs_" + Guid.NewGuid().ToString("n");
        _app.Gate.SetSession(sessionId, "open");
        return (await writer.AttachSessionAsync(attempt.Id, sessionId, null, default)).Attempt!;
    }

    /// <summary>Still requires_action, the session still open at 0Gate, and no cancel ever sent.</summary>
    private async Task ShouldBeUntouchedAsync(CheckoutAttempt attempt)
    {
        (await Reads.GetAsync(attempt.Id, default))!.Status.ShouldBe(AttemptStatus.RequiresAction);
        (await Reads.GetTimelineAsync(attempt.Id, default)).ShouldNotContain(e => e.ToStatus == AttemptStatus.Processing || e.ToStatus == AttemptStatus.Cancelled);
        _app.Gate.SessionStatus(attempt.GateSessionId!).ShouldBe("open");
        _app.Gate.CancelCalls.ShouldBe(0);
    }

    private static async Task<string> CancelFormTokenAsync(HttpClient client, string attemptId) =>
        HtmlForms.HiddenValue(await client.GetStringAsync($"/checkout/{attemptId}/cancel"), "__RequestVerificationToken");

    private static FormUrlEncodedContent Form(string token) => new([new("__RequestVerificationToken", token)]);

    private static string Format(string route, string attemptId) =>
        string.Format(System.Globalization.CultureInfo.InvariantCulture, route, attemptId);
}
