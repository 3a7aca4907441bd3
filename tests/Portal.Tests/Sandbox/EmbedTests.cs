using System.Net;
using Microsoft.Extensions.Time.Testing;

namespace Portal.Tests.Sandbox;

public sealed class EmbedTests
{
    internal static async Task<string> BootstrapAsync(SandboxTestHost host, string clientSecret)
    {
        using var browser = host.CreateClient(SandboxTestHost.PublishableKey);
        using var response = await browser.PostAsync("/v1/embed/bootstrap", SandboxTestHost.Json($$"""{"client_secret":"{{clientSecret}}"}"""));
        var json = await SandboxTestHost.ReadJsonAsync(response);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, json.ToString());
        return json.Str("embed_token");
    }

    internal static HttpClient EmbedClient(SandboxTestHost host, string token)
    {
        var client = host.CreateClient(null);
        client.DefaultRequestHeaders.Add("X-Embed-Token", token);
        return client;
    }

    [Fact]
    public async Task Hosted_page_may_only_be_framed_by_allowed_domains_and_has_the_tester_panel()
    {
        await using var host = await SandboxTestHost.StartAsync(new Dictionary<string, string?> { ["Sandbox:Partner:AllowedDomains:1"] = "https://shop.example" });
        using var anonymous = host.CreateClient(null);

        using var response = await anonymous.GetAsync($"/embed?pk={SandboxTestHost.PublishableKey}");
        var html = await response.Content.ReadAsStringAsync();

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        csp.ShouldContain("frame-ancestors http://localhost:5080 https://shop.example");
        response.Headers.Contains("X-Frame-Options").ShouldBeFalse();
        foreach (var name in new[] { "Complete", "Fail", "Cancel", "Require verification" })
        {
            html.ShouldContain($">{name}</button>");
        }

        html.ShouldContain("postMessage({ type, session_id: sessionId }, target)");
        html.ShouldNotContain("\"*\"");
        html.ShouldNotContain("'*'");
    }

    [Fact]
    public async Task Hosted_page_with_no_allowed_domains_cannot_be_framed()
    {
        await using var host = await SandboxTestHost.StartAsync();
        using var put = await host.Client.PutAsync("/v1/partner", SandboxTestHost.Json("""{"allowed_domains":[]}"""));
        using var anonymous = host.CreateClient(null);

        using var response = await anonymous.GetAsync($"/embed?pk={SandboxTestHost.PublishableKey}");

        response.Headers.GetValues("Content-Security-Policy").Single().ShouldContain("frame-ancestors 'none'");
    }

    [Fact]
    public async Task Hosted_page_refuses_an_unknown_publishable_key_or_origin()
    {
        await using var host = await SandboxTestHost.StartAsync();
        using var anonymous = host.CreateClient(null);

        using var unknownKey = await anonymous.GetAsync("/embed?pk=pk_test_nobody");
        using var badOrigin = await anonymous.GetAsync($"/embed?pk={SandboxTestHost.PublishableKey}&origin=https://evil.example");

        unknownKey.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        badOrigin.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Bootstrap_needs_the_publishable_key_and_a_real_client_secret()
    {
        await using var host = await SandboxTestHost.StartAsync();
        var session = await host.CreateSessionAsync();
        using var browser = host.CreateClient(SandboxTestHost.PublishableKey);
        var body = $$"""{"client_secret":"{{session.Str("client_secret")}}"}""";

        using var withSecretKey = await host.Client.PostAsync("/v1/embed/bootstrap", SandboxTestHost.Json(body));
        using var unknown = await browser.PostAsync("/v1/embed/bootstrap", SandboxTestHost.Json("""{"client_secret":"gs_x_secret_y"}"""));
        using var missing = await browser.PostAsync("/v1/embed/bootstrap", SandboxTestHost.Json("{}"));
        using var ok = await browser.PostAsync("/v1/embed/bootstrap", SandboxTestHost.Json(body));

        withSecretKey.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await withSecretKey.ErrorCodeAsync()).ShouldBe("publishable_key_required");
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        missing.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var token = (await SandboxTestHost.ReadJsonAsync(ok)).Str("embed_token");
        token.Split('.').Length.ShouldBe(3);
    }

    [Fact]
    public async Task Embed_token_shows_the_bound_session_and_drives_completion()
    {
        await using var host = await SandboxTestHost.StartAsync();
        var session = await host.CreateSessionAsync();
        var token = await BootstrapAsync(host, session.Str("client_secret"));
        using var embed = EmbedClient(host, token);

        using var view = await embed.GetAsync("/v1/embed/session");
        var shown = await SandboxTestHost.ReadJsonAsync(view);
        using var complete = await embed.PostAsync("/v1/embed/session/complete", null);
        using var again = await embed.PostAsync("/v1/embed/session/fail", null);
        using var read = await host.Client.GetAsync($"/v1/gate_sessions/{session.Str("id")}");

        shown.Str("amount").ShouldBe("25.00");
        shown.Str("flow").ShouldBe("on_ramp");
        shown.TryGetProperty("client_secret", out _).ShouldBeFalse();
        complete.StatusCode.ShouldBe(HttpStatusCode.OK);
        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var final = await SandboxTestHost.ReadJsonAsync(read);
        final.Str("status").ShouldBe("completed");
        final.Str("tx_refid").ShouldStartWith("tx_");
        (await host.EventsAsync("gate_session.completed")).Count.ShouldBe(1);
        (await host.EventsAsync("gate_session.failed")).ShouldBeEmpty();
    }

    [Fact]
    public async Task Fail_and_require_verification_emit_their_events()
    {
        await using var host = await SandboxTestHost.StartAsync();
        var session = await host.CreateSessionAsync();
        using var embed = EmbedClient(host, await BootstrapAsync(host, session.Str("client_secret")));

        using var verify = await embed.PostAsync("/v1/embed/session/require_verification", null);
        using var fail = await embed.PostAsync("/v1/embed/session/fail", null);

        (await SandboxTestHost.ReadJsonAsync(verify)).Str("status").ShouldBe("open");
        (await SandboxTestHost.ReadJsonAsync(fail)).Str("status").ShouldBe("failed");
        var kyc = await host.EventsAsync("kyc.required");
        kyc.Count.ShouldBe(1);
        kyc[0].GetProperty("data").Str("id").ShouldBe(session.Str("id"));
        (await host.EventsAsync("gate_session.failed")).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Forged_or_expired_embed_tokens_are_refused()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        await using var host = await SandboxTestHost.StartAsync(time: clock);
        var session = await host.CreateSessionAsync();
        var token = await BootstrapAsync(host, session.Str("client_secret"));
        var parts = token.Split('.');
        var forged = parts[0] + "." + parts[1] + "." + new string('A', parts[2].Length);

        using var forgedClient = EmbedClient(host, forged);
        using var forgedResponse = await forgedClient.PostAsync("/v1/embed/session/complete", null);
        forgedResponse.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await forgedResponse.ErrorCodeAsync()).ShouldBe("embed_token_invalid");

        clock.Advance(TimeSpan.FromMinutes(61));
        using var expiredClient = EmbedClient(host, token);
        using var expiredResponse = await expiredClient.GetAsync("/v1/embed/session");
        expiredResponse.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Closed_session_cannot_be_bootstrapped()
    {
        await using var host = await SandboxTestHost.StartAsync();
        var session = await host.CreateSessionAsync();
        using var cancel = await host.Client.PostAsync($"/v1/gate_sessions/{session.Str("id")}/cancel", null);
        using var browser = host.CreateClient(SandboxTestHost.PublishableKey);

        using var response = await browser.PostAsync("/v1/embed/bootstrap", SandboxTestHost.Json($$"""{"client_secret":"{{session.Str("client_secret")}}"}"""));

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await response.ErrorCodeAsync()).ShouldBe("session_not_open");
    }
}
