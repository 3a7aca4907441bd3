using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Portal.Tests.Sandbox;

public sealed class WebhookDeliveryTests
{
    private static Task<SandboxTestHost> StartSandboxAsync(WebhookListener listener, Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?> { ["Sandbox:Partner:WebhookUrl"] = listener.Url };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        return SandboxTestHost.StartAsync(settings);
    }

    private static void ShouldBeSignedDelivery(ReceivedWebhook hook)
    {
        IndependentSignatureCheck.IsValid(hook.Signature, hook.RawBody, SandboxTestHost.WebhookSecret)
            .ShouldBeTrue($"signature '{hook.Signature}' does not verify");
        IndependentSignatureCheck.IsValid(hook.Signature, hook.RawBody, "whsec_some_other_secret").ShouldBeFalse();
        hook.EventId.ShouldBe(hook.Id);
        hook.EventType.ShouldBe(hook.Type);
        hook.Signature!.ShouldStartWith($"t={hook.Timestamp},v1=");
        hook.Id.ShouldStartWith("evt_");
        hook.Json.GetProperty("created").GetInt64().ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Every_delivery_is_signed_and_carries_the_event_headers()
    {
        await using var listener = await WebhookListener.StartAsync();
        await using var sandbox = await StartSandboxAsync(listener);

        var id = (await sandbox.CreateSessionAsync()).Str("id");
        using var cancel = await sandbox.Client.PostAsync($"/v1/gate_sessions/{id}/cancel", null);

        var created = await listener.NextAsync();
        var cancelled = await listener.NextAsync();
        ShouldBeSignedDelivery(created);
        ShouldBeSignedDelivery(cancelled);
        created.Type.ShouldBe("gate_session.created");
        cancelled.Type.ShouldBe("gate_session.cancelled");
        cancelled.Json.GetProperty("data").Str("id").ShouldBe(id);
        cancelled.Json.GetProperty("data").Str("status").ShouldBe("cancelled");
    }

    [Fact]
    public async Task Completed_event_carries_the_full_session_and_tx_refid()
    {
        await using var listener = await WebhookListener.StartAsync();
        await using var sandbox = await StartSandboxAsync(listener);
        var session = await sandbox.CreateSessionAsync();
        var token = await EmbedTests.BootstrapAsync(sandbox, session.Str("client_secret"));

        using var complete = await EmbedTests.EmbedClient(sandbox, token).PostAsync("/v1/embed/session/complete", null);

        var hook = await listener.NextOfTypeAsync("gate_session.completed");
        ShouldBeSignedDelivery(hook);
        var data = hook.Json.GetProperty("data");
        data.Str("id").ShouldBe(session.Str("id"));
        data.Str("status").ShouldBe("completed");
        data.Str("amount").ShouldBe("25.00");
        data.Str("user_reference").ShouldBe("att_1");
        data.Str("tx_refid").ShouldStartWith("tx_");
    }

    [Fact]
    public async Task A_500_from_the_partner_is_retried_with_the_same_event()
    {
        await using var listener = await WebhookListener.StartAsync();
        listener.Respond = n => n == 1 ? 500 : 200;
        await using var sandbox = await StartSandboxAsync(listener);

        await sandbox.CreateSessionAsync();

        var first = await listener.NextAsync();
        var retry = await listener.NextAsync();
        first.AnsweredWith.ShouldBe(500);
        retry.AnsweredWith.ShouldBe(200);
        retry.Id.ShouldBe(first.Id);
        retry.RawBody.ShouldBe(first.RawBody);
        ShouldBeSignedDelivery(first);
        ShouldBeSignedDelivery(retry);

        using var deliveries = await sandbox.Client.GetAsync($"/v1/webhook_deliveries?event_id={first.Id}");
        var row = (await SandboxTestHost.ReadJsonAsync(deliveries)).GetProperty("data")[0];
        var firstAttempt = row.GetProperty("attempts")[0];
        firstAttempt.GetProperty("attempt").GetInt32().ShouldBe(1);
        firstAttempt.GetProperty("http_status").GetInt32().ShouldBe(500);
        firstAttempt.GetProperty("next_retry_at").GetInt64().ShouldBeGreaterThan(firstAttempt.GetProperty("attempted_at").GetInt64());
    }

    [Fact]
    public async Task Fail_first_switch_records_500s_then_delivers()
    {
        await using var listener = await WebhookListener.StartAsync();
        await using var sandbox = await StartSandboxAsync(listener);
        using var put = await sandbox.Client.PutAsync("/v1/sandbox/webhook_behavior", SandboxTestHost.Json("""{"fail_first":2}"""));
        put.StatusCode.ShouldBe(HttpStatusCode.OK);

        await sandbox.CreateSessionAsync();

        var hook = await listener.NextAsync();
        ShouldBeSignedDelivery(hook);
        using var deliveries = await sandbox.Client.GetAsync($"/v1/webhook_deliveries?event_id={hook.Id}");
        var attempts = (await SandboxTestHost.ReadJsonAsync(deliveries)).GetProperty("data")[0].GetProperty("attempts");
        attempts[0].GetProperty("http_status").GetInt32().ShouldBe(500);
        attempts[1].GetProperty("http_status").GetInt32().ShouldBe(500);
        attempts[1].GetProperty("attempt").GetInt32().ShouldBe(2);
    }

    [Fact]
    public async Task Retries_stop_after_max_attempts()
    {
        await using var listener = await WebhookListener.StartAsync();
        listener.Respond = _ => 503;
        await using var sandbox = await StartSandboxAsync(listener, new() { ["Sandbox:Webhooks:MaxAttempts"] = "3" });

        await sandbox.CreateSessionAsync();

        for (var i = 0; i < 3; i++)
        {
            (await listener.NextAsync()).AnsweredWith.ShouldBe(503);
        }

        // The third answer may still be being recorded; the delivery list settles on "failed".
        var status = "";
        var stopwatch = Stopwatch.StartNew();
        while (status != "failed" && stopwatch.Elapsed < TimeSpan.FromSeconds(10))
        {
            using var list = await sandbox.Client.GetAsync("/v1/webhook_deliveries");
            var row = (await SandboxTestHost.ReadJsonAsync(list)).GetProperty("data")[0];
            status = row.Str("status");
            if (status == "failed")
            {
                row.GetProperty("attempt").GetInt32().ShouldBe(3);
                row.GetProperty("next_retry_at").ValueKind.ShouldBe(JsonValueKind.Null);
            }
        }

        status.ShouldBe("failed");
    }

    [Fact]
    public async Task Duplicate_switch_delivers_each_event_twice_with_the_same_id_and_body()
    {
        await using var listener = await WebhookListener.StartAsync();
        await using var sandbox = await StartSandboxAsync(listener, new() { ["Sandbox:Webhooks:Behavior:Duplicate"] = "true" });

        await sandbox.CreateSessionAsync();

        var first = await listener.NextAsync();
        var second = await listener.NextAsync();
        second.Id.ShouldBe(first.Id);
        Encoding.UTF8.GetString(second.RawBody).ShouldBe(Encoding.UTF8.GetString(first.RawBody));
        ShouldBeSignedDelivery(first);
        ShouldBeSignedDelivery(second);
    }

    [Fact]
    public async Task Reorder_switch_delivers_a_batch_newest_first()
    {
        await using var listener = await WebhookListener.StartAsync();
        await using var sandbox = await StartSandboxAsync(listener);
        using var put = await sandbox.Client.PutAsync("/v1/sandbox/webhook_behavior", SandboxTestHost.Json("""{"reorder_batch_size":3,"reorder_max_hold_ms":60000}"""));

        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await sandbox.CreateSessionAsync()).Str("id"));
        }

        var received = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var hook = await listener.NextAsync();
            ShouldBeSignedDelivery(hook);
            received.Add(hook.Json.GetProperty("data").Str("id"));
        }

        received.ShouldBe(Enumerable.Reverse(ids).ToList());
    }

    [Fact]
    public async Task Delay_switch_holds_deliveries_for_the_given_time()
    {
        await using var listener = await WebhookListener.StartAsync();
        await using var sandbox = await StartSandboxAsync(listener, new() { ["Sandbox:Webhooks:Behavior:DelayMs"] = "400" });

        var stopwatch = Stopwatch.StartNew();
        await sandbox.CreateSessionAsync();
        var hook = await listener.NextAsync();

        stopwatch.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(400));
        ShouldBeSignedDelivery(hook);
    }

    [Fact]
    public async Task Webhook_behavior_rejects_out_of_range_values()
    {
        await using var sandbox = await SandboxTestHost.StartAsync();

        using var put = await sandbox.Client.PutAsync("/v1/sandbox/webhook_behavior", SandboxTestHost.Json("""{"fail_first":-1}"""));

        put.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await put.ErrorCodeAsync()).ShouldBe("parameter_out_of_range");
    }
}
