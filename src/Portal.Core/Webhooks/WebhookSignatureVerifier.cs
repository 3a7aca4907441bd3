using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Portal.Core.Gate;

namespace Portal.Core.Webhooks;

/// <summary>
/// Verifies <c>Gate-Signature: t=&lt;unix&gt;,v1=&lt;hex&gt;[,v1=&lt;hex&gt;…]</c> against the raw body:
/// expected = hex(HMAC-SHA256(UTF-8 of the whole <c>whsec_…</c> string, "&lt;t&gt;." + body)).
/// Any <c>v1</c> matching any configured secret passes (rotation); other schemes are ignored;
/// |now − t| must be within the tolerance in both directions. Comparisons are fixed-time.
/// </summary>
public sealed class WebhookSignatureVerifier(IOptions<GateOptions> options, TimeProvider time)
{
    private const int HmacLength = 32;
    private readonly byte[][] _keys = options.Value.WebhookSecrets.Select(Encoding.UTF8.GetBytes).ToArray();
    private readonly string[] _fingerprints = options.Value.WebhookSecrets.Select(WebhookSecretFingerprint.Of).ToArray();
    private readonly long _toleranceSeconds = options.Value.SignatureToleranceSeconds;

    public SignatureCheck Verify(ReadOnlySpan<byte> rawBody, string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return new(SignatureFailure.MissingHeader, null, null);
        }

        if (!TryParse(header, out var timestamp, out var candidates, out var sawV1))
        {
            return new(SignatureFailure.MalformedHeader, null, null);
        }

        // Skew in whole seconds on longs: a 12-digit t is far outside any tolerance, never an overflow. The time is
        // only turned into a DateTimeOffset once it is known to be within the tolerance of now.
        var skew = timestamp - time.GetUtcNow().ToUnixTimeSeconds();
        // A v1 that can never match (not 64 hex digits) is a wrong signature, not a missing one.
        if (!sawV1)
        {
            return new(SignatureFailure.NoV1Signature, null, skew);
        }

        if (Math.Abs(skew) > _toleranceSeconds)
        {
            return new(SignatureFailure.TimestampOutOfTolerance, null, skew);
        }

        var signedAt = DateTimeOffset.FromUnixTimeSeconds(timestamp);
        var prefix = Encoding.ASCII.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var message = new byte[prefix.Length + rawBody.Length];
        prefix.CopyTo(message, 0);
        rawBody.CopyTo(message.AsSpan(prefix.Length));

        Span<byte> expected = stackalloc byte[HmacLength];
        var matchedKey = -1;
        for (var k = 0; k < _keys.Length; k++)
        {
            HMACSHA256.HashData(_keys[k], message, expected);
            var keyMatched = false;
            foreach (var candidate in candidates)
            {
                // Check every pair without an early exit, so timing says nothing about which matched.
                keyMatched |= CryptographicOperations.FixedTimeEquals(expected, candidate);
            }

            if (keyMatched && matchedKey < 0)
            {
                matchedKey = k;
            }
        }

        return matchedKey >= 0
            ? new(SignatureFailure.None, signedAt, skew, _fingerprints[matchedKey])
            : new(SignatureFailure.NoMatchingSignature, signedAt, skew);
    }

    /// <summary>
    /// Exactly one numeric <c>t</c> and only <c>key=value</c> entries; <c>v1</c> values that are not
    /// 64 hex digits and entries of other schemes (<c>v0</c>, …) are skipped.
    /// </summary>
    private static bool TryParse(string header, out long timestamp, out List<byte[]> v1, out bool sawV1)
    {
        timestamp = 0;
        v1 = [];
        sawV1 = false;
        var sawTimestamp = false;
        foreach (var part in header.Split(','))
        {
            var item = part.Trim();
            var eq = item.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                return false;
            }

            var key = item[..eq];
            var value = item[(eq + 1)..];
            switch (key)
            {
                case "t":
                    if (sawTimestamp || value.Length is 0 or > 12 || !value.All(char.IsAsciiDigit)
                        || !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out timestamp))
                    {
                        return false;
                    }

                    sawTimestamp = true;
                    break;
                case "v1":
                    // A v1 that is not 64 hex digits can never match: it counts as present, but is not compared.
                    sawV1 = true;
                    if (value.Length == HmacLength * 2 && value.All(char.IsAsciiHexDigit))
                    {
                        v1.Add(Convert.FromHexString(value));
                    }

                    break;
                default:
                    break; // v0 and unknown schemes are ignored
            }
        }

        return sawTimestamp;
    }
}
