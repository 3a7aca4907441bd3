using System.Security.Cryptography;
using System.Text;

namespace Gate.Sandbox.Webhooks;

/// <summary>
/// The sandbox's own implementation of the 0Gate signature:
/// <c>Gate-Signature: t=&lt;unix&gt;,v1=hex(HMAC-SHA256(utf8(whsec_…), "&lt;t&gt;." + rawBody))</c>.
/// </summary>
public static class WebhookSigner
{
    public const string HeaderName = "Gate-Signature";

    public static string SignatureHeader(string webhookSecret, long unixSeconds, ReadOnlySpan<byte> rawBody)
    {
        var prefix = Encoding.UTF8.GetBytes(unixSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".");
        var message = new byte[prefix.Length + rawBody.Length];
        prefix.CopyTo(message, 0);
        rawBody.CopyTo(message.AsSpan(prefix.Length));
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(webhookSecret), message);
        return $"t={unixSeconds},v1={Convert.ToHexStringLower(mac)}";
    }
}
