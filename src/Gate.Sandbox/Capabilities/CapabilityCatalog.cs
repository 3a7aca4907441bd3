using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace Gate.Sandbox.Capabilities;

public sealed record Chain(string Network, int ChainId, string Explorer);

public sealed record CapabilitiesResponse(
    [property: JsonPropertyName("object")] string ObjectType,
    bool Livemode,
    IReadOnlyList<string> Flows,
    IReadOnlyList<string> Currencies,
    IReadOnlyList<string> Tokens,
    IReadOnlyList<string> Networks,
    IReadOnlyList<AssetRule> Assets);

/// <summary>
/// How amounts of one currency or token are written and bounded for a session: its decimals, and the smallest and
/// largest session amount (exact decimal strings).
/// </summary>
public sealed record AssetRule(string Code, int Decimals, string MinAmount, string MaxAmount);

public sealed record DisabledCapabilities(
    IReadOnlyList<string> Flows,
    IReadOnlyList<string> Currencies,
    IReadOnlyList<string> Tokens,
    IReadOnlyList<string> Networks);

/// <summary>
/// What the sandbox supports, minus what configuration (or PUT /v1/sandbox/capabilities) switched off.
/// </summary>
public sealed class CapabilityCatalog
{
    public static readonly IReadOnlyList<string> AllFlows = ["on_ramp", "off_ramp", "swap"];
    public static readonly IReadOnlyList<string> AllCurrencies = ["EUR", "DKK", "USD", "BRL", "MXN", "COP"];
    public static readonly IReadOnlyList<string> AllTokens = ["USDC", "USDT", "ETH"];

    /// <summary>Each asset's own decimals (ISO 4217 for fiat, the token contract for crypto) and session limits.</summary>
    public static readonly IReadOnlyList<AssetRule> AssetRules =
    [
        new("EUR", 2, "1.00", "10000.00"),
        new("DKK", 2, "10.00", "75000.00"),
        new("USD", 2, "1.00", "10000.00"),
        new("BRL", 2, "5.00", "50000.00"),
        new("MXN", 2, "20.00", "200000.00"),
        new("COP", 2, "5000.00", "40000000.00"),
        new("USDC", 6, "1", "10000"),
        new("USDT", 6, "1", "10000"),
        new("ETH", 18, "0.001", "5"),
    ];

    /// <summary>The chain table of the custody &amp; compliance guide.</summary>
    public static readonly IReadOnlyList<Chain> Chains =
    [
        new("ethereum", 1, "etherscan.io"),
        new("polygon", 137, "polygonscan.com"),
        new("base", 8453, "basescan.org"),
        new("arbitrum", 42161, "arbiscan.io"),
        new("optimism", 10, "optimistic.etherscan.io"),
    ];

    private readonly Lock _lock = new();
    private DisabledCapabilities _disabled;

    public CapabilityCatalog(IOptions<SandboxOptions> options)
    {
        var d = options.Value.Disabled;
        _disabled = Normalize(new DisabledCapabilities(d.Flows, d.Currencies, d.Tokens, d.Networks));
    }

    public DisabledCapabilities Disabled
    {
        get
        {
            lock (_lock)
            {
                return _disabled;
            }
        }
        set
        {
            lock (_lock)
            {
                _disabled = Normalize(value);
            }
        }
    }

    public CapabilitiesResponse Current(bool livemode)
    {
        var d = Disabled;
        return new CapabilitiesResponse(
            "capabilities",
            livemode,
            AllFlows.Except(d.Flows).ToArray(),
            AllCurrencies.Except(d.Currencies).ToArray(),
            AllTokens.Except(d.Tokens).ToArray(),
            Chains.Select(c => c.Network).Except(d.Networks).ToArray(),
            AssetRules.Where(a => !d.Currencies.Contains(a.Code) && !d.Tokens.Contains(a.Code)).ToArray());
    }

    public static Chain? FindChain(string network) => Chains.FirstOrDefault(c => c.Network == network);

    private static DisabledCapabilities Normalize(DisabledCapabilities d) => new(
        d.Flows.Select(f => f.Trim().ToLowerInvariant()).ToArray(),
        d.Currencies.Select(c => c.Trim().ToUpperInvariant()).ToArray(),
        d.Tokens.Select(t => t.Trim().ToUpperInvariant()).ToArray(),
        d.Networks.Select(n => n.Trim().ToLowerInvariant()).ToArray());
}
