using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Portal.Tests.Infrastructure;

/// <summary>
/// Signs test deliveries the way 0Gate documents it, written here independently of the portal's
/// verifier: hex(HMAC-SHA256(UTF-8("whsec_…"), "&lt;t&gt;." + body)).
/// </summary>
public static class TestWebhookSigner
{
    public static string Sign(string secret, long timestamp, byte[] body)
    {
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        var signed = hmac.ComputeHash([.. Encoding.UTF8.GetBytes($"{timestamp}."), .. body]);
        return Convert.ToHexString(signed).ToLowerInvariant();
    }

    public static string Header(string secret, long timestamp, byte[] body) => $"t={timestamp},v1={Sign(secret, timestamp, body)}";

    public static HttpRequestMessage Delivery(byte[] body, string? signatureHeader, string? hintedEventId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/0gate") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (signatureHeader is not null)
        {
            request.Headers.TryAddWithoutValidation("Gate-Signature", signatureHeader);
        }

        if (hintedEventId is not null)
        {
            request.Headers.TryAddWithoutValidation("X-0bit-Event-Id", hintedEventId);
        }

        return request;
    }

    public static HttpRequestMessage SignedDelivery(string json, string secret = PortalAppFactory.WebhookSecret, DateTimeOffset? at = null)
    {
        var body = Encoding.UTF8.GetBytes(json);
        return Delivery(body, Header(secret, (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds(), body));
    }
}
