using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Gate.Sandbox.Api;
using Gate.Sandbox.Partner;

namespace Gate.Sandbox.Embed;

public sealed record EmbedTokenClaims(string Iss, string Aud, string Sub, string Ptn, long Iat, long Exp, string Jti);

/// <summary>
/// The 1 h HS256 JWT the hosted page sends as <c>X-Embed-Token</c>; it binds partner and session,
/// so the browser can act on exactly one session and never change its amount.
/// </summary>
public sealed class EmbedTokens(SandboxSecrets secrets, PartnerState partner, TimeProvider time)
{
    public const string HeaderName = "X-Embed-Token";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);
    private const string Issuer = "0gate-sandbox";
    private const string Audience = "0gate-embed";
    private static readonly string EncodedHeader = Base64Url("""{"alg":"HS256","typ":"JWT"}"""u8);

    public (string Token, long ExpiresAt) Issue(string sessionId)
    {
        var now = time.GetUtcNow();
        var claims = new EmbedTokenClaims(Issuer, Audience, sessionId, partner.Id, now.ToUnixTimeSeconds(), now.Add(Lifetime).ToUnixTimeSeconds(), Ids.New("et_"));
        var signingInput = EncodedHeader + "." + Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims, SandboxJson.Options));
        return (signingInput + "." + Base64Url(Sign(signingInput)), claims.Exp);
    }

    /// <summary>The session id the token is bound to, or null if the token is forged, expired or not ours.</summary>
    public string? Validate(string? token)
    {
        var parts = token?.Split('.');
        if (parts is not { Length: 3 } || parts[0] != EncodedHeader)
        {
            return null;
        }

        byte[] signature;
        EmbedTokenClaims? claims;
        try
        {
            signature = FromBase64Url(parts[2]);
            if (!CryptographicOperations.FixedTimeEquals(signature, Sign(parts[0] + "." + parts[1])))
            {
                return null;
            }

            claims = JsonSerializer.Deserialize<EmbedTokenClaims>(FromBase64Url(parts[1]), SandboxJson.Options);
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }

        var now = time.GetUtcNow().ToUnixTimeSeconds();
        return claims is not null && claims.Aud == Audience && claims.Iss == Issuer && claims.Ptn == partner.Id && now < claims.Exp
            ? claims.Sub
            : null;
    }

    private byte[] Sign(string signingInput) => HMACSHA256.HashData(secrets.EmbedTokenKey, Encoding.ASCII.GetBytes(signingInput));

    private static string Base64Url(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string value)
    {
        var s = value.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }
}
