using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Attempts;
using Portal.Core.Checkout;
using Portal.Core.LiveUpdates;
using Portal.Core.Reads;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Checkout;

/// <summary>
/// The outcome pages as served (docs/architecture.md#render-modes): static HTML around one interactive island that
/// carries the page's read into its circuit, and a cancel page that asks 0Gate once, while rendering, and applies only
/// what 0Gate answers.
/// </summary>
public sealed class OutcomePagesTests : IClassFixture<OutcomePagesTests.Factory>
{
    private const string ServerComponent = "<!--Blazor:{\"type\":\"server\"";

    private readonly Factory _app;

    public OutcomePagesTests(Factory app)
    {
        _app = app;
        app.Gate.Reset();
    }

    public sealed class Factory : ScriptedGateFactory;

    [Theory]
    [InlineData("status")]
    [InlineData("return")]
    [InlineData("cancel")]
    public async Task An_outcome_page_is_static_html_around_one_interactive_island_with_its_state(string page)
    {
        var attempt = await AttemptOfAsync("alice", "open");
        var alice = await _app.SignedInClientAsync("alice", "Alice", "customer");

        var html = await alice.GetStringAsync($"/checkout/{attempt.Id}/{page}");

        // One server component, and the app bar is not inside it: the layout is plain HTML, the island is the panel.
        html.Split(ServerComponent).Length.ShouldBe(2, "exactly one interactive component");
        html.IndexOf("<header", StringComparison.Ordinal).ShouldBeLessThan(html.IndexOf(ServerComponent, StringComparison.Ordinal));
        html.IndexOf(ServerComponent, StringComparison.Ordinal).ShouldBeLessThan(html.IndexOf("data-testid=\"outcome\"", StringComparison.Ordinal));
        // Its links load their page in full (never an enhanced navigation into the island's circuit).
        System.Text.RegularExpressions.Regex.IsMatch(html, "<div(?=[^>]*class=\"mud-layout\")(?=[^>]*data-enhance-nav=\"false\")").ShouldBeTrue();
        // What the island read while prerendering travels with the page, for its circuit.
        html.ShouldContain("<!--Blazor-Server-Component-State:");
        html.ShouldContain(attempt.Id);
    }

    [Fact]
    public async Task The_cancel_page_asks_0Gate_once_and_shows_a_session_0Gate_already_cancelled_as_cancelled()
    {
        // The customer cancelled inside the hosted flow; 0Gate's webhook has not arrived yet.
        var attempt = await AttemptOfAsync("alice", "cancelled");
        var alice = await _app.SignedInClientAsync("alice", "Alice", "customer");

        var response = await alice.GetAsync($"/checkout/{attempt.Id}/cancel");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("data-view=\"cancelled\"");
        html.ShouldContain(CheckoutCopy.Cancelled);
        html.ShouldNotContain("Yes, cancel this checkout"); // nothing left to cancel
        _app.Gate.SessionReads.ShouldBe(1);
        _app.Gate.CancelCalls.ShouldBe(0); // a read, never a cancel
        var stored = await _app.Services.GetRequiredService<AttemptReads>().GetAsync(attempt.Id, default);
        stored!.Status.ShouldBe(AttemptStatus.Cancelled);
        stored.ClosedBy.ShouldBe(AttemptCloser.SessionRead);
    }

    [Fact]
    public async Task The_cancel_page_shows_the_portals_own_state_and_the_question_when_0Gate_cannot_be_reached()
    {
        var attempt = await AttemptOfAsync("alice", "open");
        var alice = await _app.SignedInClientAsync("alice", "Alice", "customer");
        _app.Gate.FailNext(3, HttpStatusCode.ServiceUnavailable);

        var response = await alice.GetAsync($"/checkout/{attempt.Id}/cancel");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("data-view=\"requires_action\"");
        html.ShouldContain("Yes, cancel this checkout");
        (await _app.Services.GetRequiredService<AttemptReads>().GetAsync(attempt.Id, default))!.Status.ShouldBe(AttemptStatus.RequiresAction);
    }

    [Fact]
    public async Task The_status_and_return_pages_never_call_0Gate()
    {
        var attempt = await AttemptOfAsync("alice", "cancelled");
        var alice = await _app.SignedInClientAsync("alice", "Alice", "customer");

        (await alice.GetAsync($"/checkout/{attempt.Id}/status")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await alice.GetAsync($"/checkout/{attempt.Id}/return")).StatusCode.ShouldBe(HttpStatusCode.OK);

        _app.Gate.SessionReads.ShouldBe(0);
        (await _app.Services.GetRequiredService<AttemptReads>().GetAsync(attempt.Id, default))!.Status.ShouldBe(AttemptStatus.RequiresAction);
    }

    private async Task<CheckoutAttempt> AttemptOfAsync(string owner, string statusAtGate)
    {
        var writer = _app.Services.GetRequiredService<AttemptWriter>();
        var attempt = await writer.CreateAsync(new NewAttempt(owner, CheckoutFlow.OnRamp, 25m, "EUR", "USDC", "base"), default);
        var sessionId = "gs_" + Guid.NewGuid().ToString("n");
        _app.Gate.SetSession(sessionId, statusAtGate);
        return (await writer.AttachSessionAsync(attempt.Id, sessionId, null, default)).Attempt!;
    }
}
