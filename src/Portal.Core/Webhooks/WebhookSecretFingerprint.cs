using System.Security.Cryptography;
using System.Text;

namespace Portal.Core.Webhooks;

/// <summary>
/// A name for a configured webhook secret that reveals nothing of it: <c>sha256:</c> and the first 12 hex digits of
/// the SHA-256 of the whole <c>whsec_…</c> string. Safe on support screens and in logs; lets an operator tell, during
/// a rotation, which secret verified an event (compare with <c>printf %s "$secret" | sha256sum | cut -c1-12</c>).
/// </summary>
public static class WebhookSecretFingerprint
{
    public const string Prefix = "sha256:";

    public static string Of(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
        return Prefix + Convert.ToHexStringLower(hash)[..12];
    }
}
