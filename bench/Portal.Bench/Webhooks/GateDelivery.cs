using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Portal.Bench.Webhooks;

/// <summary>One <c>gate_session.completed</c> event for a 0Gate session and the attempt it belongs to.</summary>
public sealed record GateDelivery(string EventId, string SessionId, string AttemptId, string TxRefId)
{
    public const string EventType = "gate_session.completed";
}

/// <summary>
/// Signs deliveries as 0Gate does, fresh for every send: <c>Gate-Signature: t=&lt;unix&gt;,v1=&lt;hex&gt;</c> where hex is
/// lower-case HMAC-SHA256 keyed with the UTF-8 bytes of the whole <c>whsec_…</c> secret over <c>"&lt;t&gt;." + body</c>,
/// plus the unauthenticated companion headers <c>X-0bit-Event-Id</c>, <c>-Type</c> and <c>-Timestamp</c>.
/// </summary>
public sealed class GateDeliverySigner(string webhookSecret)
{
    public const string Path = "/webhooks/0gate";

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly byte[] _key = Encoding.UTF8.GetBytes(webhookSecret);

    public HttpRequestMessage CreateRequest(GateDelivery delivery)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var timestamp = now.ToString(CultureInfo.InvariantCulture);
        var body = Body(delivery, now);
        var request = new HttpRequestMessage(HttpMethod.Post, Path)
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = Json } },
        };
        request.Headers.TryAddWithoutValidation("Gate-Signature", $"t={timestamp},v1={Sign(timestamp, body)}");
        request.Headers.TryAddWithoutValidation("X-0bit-Event-Id", delivery.EventId);
        request.Headers.TryAddWithoutValidation("X-0bit-Event-Type", GateDelivery.EventType);
        request.Headers.TryAddWithoutValidation("X-0bit-Timestamp", timestamp);
        return request;
    }

    public string Sign(string timestamp, byte[] body)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        hmac.AppendData(Encoding.ASCII.GetBytes(timestamp + "."));
        hmac.AppendData(body);
        return Convert.ToHexStringLower(hmac.GetHashAndReset());
    }

    /// <summary>The event as 0Gate sends it (ids are ASCII letters, digits and underscores, so no escaping is needed).</summary>
    public static byte[] Body(GateDelivery delivery, long created) => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
        $$$"""{"id":"{{{delivery.EventId}}}","object":"event","type":"{{{GateDelivery.EventType}}}","created":{{{created}}},"livemode":false,"data":{"id":"{{{delivery.SessionId}}}","object":"gate_session","status":"completed","user_reference":"{{{delivery.AttemptId}}}","tx_refid":"{{{delivery.TxRefId}}}"}}"""));
}
