namespace Portal.Core.Gate;

public sealed record GateCapabilities(
    IReadOnlyList<string> Flows,
    IReadOnlyList<string> Currencies,
    IReadOnlyList<string> Tokens,
    IReadOnlyList<string> Networks,
    IReadOnlyList<GateAsset>? Assets = null)
{
    public static readonly GateCapabilities None = new([], [], [], []);

    /// <summary>What 0Gate says about amounts of this currency or token; null when it says nothing.</summary>
    public GateAsset? AssetFor(string? code) =>
        code is null ? null : Assets?.FirstOrDefault(a => string.Equals(a.Code, code, StringComparison.Ordinal));
}
