using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portal.E2E.ScaleOut;

/// <summary>
/// 0Gate's deliveries as documented, signed here independently of the portal's verifier (and of the sandbox's signer):
/// <c>Gate-Signature: t=&lt;unix&gt;,v1=hex(HMAC-SHA256(UTF-8("whsec_…"), "&lt;t&gt;." + body))</c>.
/// </summary>
internal static class SignedDeliveries
{
    /// <summary>An event body: <c>{ id, object: "event", type, created, livemode, data }</c>.</summary>
    public static string Event(string id, string type, JsonObject data) =>
        new JsonObject
        {
            ["id"] = id,
            ["object"] = "event",
            ["type"] = type,
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["livemode"] = false,
            ["data"] = data,
        }.ToJsonString();

    /// <summary>The session part of a session event, for a session the test made up.</summary>
    public static JsonObject Session(string sessionId, string attemptId, string status) =>
        new() { ["id"] = sessionId, ["object"] = "gate_session", ["status"] = status, ["user_reference"] = attemptId };

    public static string NewEventId() => "evt_" + Guid.NewGuid().ToString("n");

    /// <summary>A POST to <c>/webhooks/0gate</c> signed now: every resend is signed afresh, as 0Gate does.</summary>
    public static HttpRequestMessage Delivery(string json, string secret = TwoInstancesFixture.WebhookSecret)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        var signature = Convert.ToHexStringLower(hmac.ComputeHash([.. Encoding.UTF8.GetBytes($"{timestamp}."), .. body]));

        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/0gate") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("Gate-Signature", $"t={timestamp},v1={signature}");
        using var parsed = JsonDocument.Parse(json);
        request.Headers.TryAddWithoutValidation("X-0bit-Event-Id", parsed.RootElement.GetProperty("id").GetString());
        return request;
    }
}
