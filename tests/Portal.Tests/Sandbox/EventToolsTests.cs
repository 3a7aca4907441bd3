using System.Net;

namespace Portal.Tests.Sandbox;

/// <summary>The sandbox's developer tools: resend a stored event, deliver a made-up one; refused for a live partner.</summary>
public sealed class EventToolsTests
{
    [Fact]
    public async Task A_resent_event_is_delivered_again_with_the_same_id_and_body_freshly_signed()
    {
        await using var listener = await WebhookListener.StartAsync();
        await using var sandbox = await SandboxTestHost.StartAsync(new Dictionary<string, string?> { ["Sandbox:Partner:WebhookUrl"] = listener.Url });
        await sandbox.CreateSessionAsync();
        var first = await listener.NextAsync();

        using var response = await sandbox.Client.PostAsync($"/v1/events/{first.Id}/resend", null);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var queued = await SandboxTestHost.ReadJsonAsync(response);
        queued.Str("event_id").ShouldBe(first.Id);
        queued.Str("event_type").ShouldBe("gate_session.created");
        queued.Str("id").ShouldStartWith("wd_");
        var again = await listener.NextAsync();
        again.Id.ShouldBe(first.Id);
        again.RawBody.ShouldBe(first.RawBody);
        IndependentSignatureCheck.IsValid(again.Signature, again.RawBody, SandboxTestHost.WebhookSecret).ShouldBeTrue();
        again.EventId.ShouldBe(first.Id);
    }

    [Theory]
    [InlineData("gate_session.completed", "completed")]
    [InlineData("gate_session.created", "open")]
    [InlineData("kyc.required", "open")]
    public async Task A_test_session_event_names_a_made_up_session_no_partner_attempt_has(string type, string status)
    {
        await using var listener = await WebhookListener.StartAsync();
        await using var sandbox = await SandboxTestHost.StartAsync(new Dictionary<string, string?> { ["Sandbox:Partner:WebhookUrl"] = listener.Url });

        using var response = await sandbox.Client.PostAsync("/v1/sandbox/test_events", SandboxTestHost.Json($$"""{"type":"{{type}}"}"""));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var sent = await SandboxTestHost.ReadJsonAsync(response);
        var hook = await listener.NextAsync();
        hook.Id.ShouldBe(sent.Str("id"));
        hook.Type.ShouldBe(type);
        IndependentSignatureCheck.IsValid(hook.Signature, hook.RawBody, SandboxTestHost.WebhookSecret).ShouldBeTrue();
        var data = hook.Json.GetProperty("data");
        data.Str("id").ShouldStartWith("gs_test_");
        data.Str("status").ShouldBe(status);
        data.GetProperty("user_reference").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
        (await sandbox.Client.GetAsync($"/v1/gate_sessions/{data.Str("id")}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_test_quota_event_carries_the_real_quota_and_any_other_type_is_delivered_too()
    {
        await using var listener = await WebhookListener.StartAsync();
        await using var sandbox = await SandboxTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Sandbox:Partner:WebhookUrl"] = listener.Url,
            ["Sandbox:Quota:Limit"] = "10",
        });
        await sandbox.CreateSessionAsync();
        await listener.NextAsync(); // gate_session.created

        using var quota = await sandbox.Client.PostAsync("/v1/sandbox/test_events", SandboxTestHost.Json("""{"type":"partner.quota.warning"}"""));
        using var custom = await sandbox.Client.PostAsync("/v1/sandbox/test_events", SandboxTestHost.Json("""{"type":"partner.example.happened"}"""));

        var quotaHook = await listener.NextOfTypeAsync("partner.quota.warning");
        quotaHook.Json.GetProperty("data").GetProperty("limit").GetInt32().ShouldBe(10);
        quotaHook.Json.GetProperty("data").GetProperty("used").GetInt32().ShouldBe(1);
        quotaHook.Json.GetProperty("data").GetProperty("warning_at").GetInt32().ShouldBe(8);
        (await listener.NextOfTypeAsync("partner.example.happened")).Json.GetProperty("data").Str("note").ShouldContain("test event");
    }

    [Theory]
    [InlineData("{}", "parameter_missing")]
    [InlineData("""{"type":""}""", "parameter_missing")]
    [InlineData("""{"type":"Gate_Session.Completed"}""", "event_type_invalid")]
    [InlineData("""{"type":"completed"}""", "event_type_invalid")]
    [InlineData("""{"type":"gate_session.completed; DROP"}""", "event_type_invalid")]
    public async Task A_bad_test_event_request_is_a_400_and_nothing_is_sent(string body, string code)
    {
        await using var sandbox = await SandboxTestHost.StartAsync();

        using var response = await sandbox.Client.PostAsync("/v1/sandbox/test_events", SandboxTestHost.Json(body));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ErrorCodeAsync()).ShouldBe(code);
    }

    [Fact]
    public async Task Malformed_json_is_a_400_and_an_unknown_event_is_a_404()
    {
        await using var sandbox = await SandboxTestHost.StartAsync();

        using var malformed = await sandbox.Client.PostAsync("/v1/sandbox/test_events", SandboxTestHost.Json("{\"type\":"));
        using var unknown = await sandbox.Client.PostAsync("/v1/events/evt_nope/resend", null);
        using var publishable = await sandbox.CreateClient(SandboxTestHost.PublishableKey).PostAsync("/v1/events/evt_nope/resend", null);

        malformed.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await unknown.ErrorCodeAsync()).ShouldBe("event_not_found");
        publishable.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_live_partner_gets_403_from_both_tools()
    {
        await using var sandbox = await SandboxTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Sandbox:Partner:SecretKey"] = "sk_live_unit_sandbox",
            ["Sandbox:Partner:PublishableKey"] = "pk_live_unit_sandbox",
        });
        using var live = sandbox.CreateClient("sk_live_unit_sandbox");

        using var test = await live.PostAsync("/v1/sandbox/test_events", SandboxTestHost.Json("""{"type":"gate_session.completed"}"""));
        using var resend = await live.PostAsync("/v1/events/evt_any/resend", null);

        test.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await test.ErrorCodeAsync()).ShouldBe("sandbox_only");
        resend.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await resend.ErrorCodeAsync()).ShouldBe("sandbox_only");
        (await sandbox.EventsAsync("gate_session.completed")).ShouldBeEmpty();
    }
}
