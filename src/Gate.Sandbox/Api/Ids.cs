using System.Security.Cryptography;

namespace Gate.Sandbox.Api;

/// <summary>Opaque random identifiers with a type prefix (128 bits or more).</summary>
public static class Ids
{
    public static string New(string prefix, int bytes = 16) =>
        prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));
}
