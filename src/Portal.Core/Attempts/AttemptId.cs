using System.Security.Cryptography;

namespace Portal.Core.Attempts;

/// <summary>Opaque, random attempt ids: <c>att_</c> + 128 random bits in lower-case base32.</summary>
public static class AttemptId
{
    public const string Prefix = "att_";
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    private const int EncodedLength = 26; // ceil(128 / 5)
    private static readonly System.Buffers.SearchValues<char> AlphabetValues = System.Buffers.SearchValues.Create(Alphabet);

    public static string New()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return Prefix + Base32(bytes);
    }

    /// <summary>Shape check only (cheap rejection of junk before touching the store).</summary>
    public static bool IsWellFormed(string? value) =>
        value is { Length: 4 + EncodedLength }
        && value.StartsWith(Prefix, StringComparison.Ordinal)
        && value.AsSpan(Prefix.Length).IndexOfAnyExcept(AlphabetValues) < 0;

    private static string Base32(ReadOnlySpan<byte> bytes)
    {
        Span<char> chars = stackalloc char[EncodedLength];
        int buffer = 0, bits = 0, index = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                chars[index++] = Alphabet[(buffer >> (bits - 5)) & 31];
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            chars[index++] = Alphabet[(buffer << (5 - bits)) & 31];
        }

        return new string(chars[..index]);
    }
}
