namespace Portal.Core;

internal static class SnakeCase
{
    /// <summary><c>NoMatchingSignature</c> → <c>no_matching_signature</c>.</summary>
    public static string From(string pascal) =>
        string.Concat(pascal.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
