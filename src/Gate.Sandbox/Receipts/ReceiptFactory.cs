using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Gate.Sandbox.Capabilities;
using Gate.Sandbox.Sessions;
using Gate.Sandbox.Storage;

namespace Gate.Sandbox.Receipts;

/// <summary>
/// Builds the receipt of a completed session with fixed sandbox rates and a 1.5 % fee (0.5 % for swaps).
/// BUY = on_ramp, SELL = off_ramp, SWAP = swap (currency/fiat_amt then describe the source token).
/// </summary>
public static class ReceiptFactory
{
    public const string DefaultToken = "USDC";
    public const string DefaultNetwork = "ethereum";

    private static readonly Dictionary<string, decimal> UsdPerToken = new() { ["USDC"] = 1m, ["USDT"] = 1m, ["ETH"] = 3000m };

    private static readonly Dictionary<string, decimal> FiatPerUsd = new()
    {
        ["EUR"] = 0.92m, ["DKK"] = 6.87m, ["USD"] = 1m, ["BRL"] = 5.40m, ["MXN"] = 18.20m, ["COP"] = 4100m,
    };

    public static Receipt Create(SessionRecord session, string refid, bool livemode, long createdAtSeconds)
    {
        var network = session.TargetNetwork ?? DefaultNetwork;
        var chain = CapabilityCatalog.FindChain(network) ?? CapabilityCatalog.Chains[0];
        var hash = "0x" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(refid)));
        var proof = new BlockchainProof(hash, chain.ChainId, $"https://{chain.Explorer}/tx/{hash}");
        var amount = decimal.Parse(session.Amount, CultureInfo.InvariantCulture);
        var wallet = session.WalletAddress ?? ("0x" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(session.Id)))[..40]);

        if (session.Flow == Flows.Swap)
        {
            var target = session.TargetToken ?? DefaultToken;
            var rate = UsdPerToken[session.Currency] / UsdPerToken[target];
            var fees = Round(amount * 0.005m, 8);
            return new Receipt(refid, "transaction", livemode, session.Id, "SWAP", "completed",
                target, Format(Round((amount - fees) * rate, 8)), network,
                session.Currency, Format(amount), Format(Round(rate, 8)), Format(fees), Format(amount),
                "WALLET", wallet, null, null, null, proof, createdAtSeconds, null, null);
        }

        var token = session.TargetToken ?? DefaultToken;
        var fiatPerToken = FiatPerUsd[session.Currency] * UsdPerToken[token];
        var fee = Round(amount * 0.015m, 2);
        var rail = LocalRail(session.Currency);
        var railId = rail.IsLocal ? "lr_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("rail:" + refid)))[..20] : null;

        if (session.Flow == Flows.OffRamp)
        {
            return new Receipt(refid, "transaction", livemode, session.Id, "SELL", "completed",
                token, Format(Round(amount / fiatPerToken, 8)), network,
                session.Currency, Fiat(amount), Format(fiatPerToken), Fiat(fee), Fiat(amount - fee),
                rail.Method, null, SandboxBank(session.Currency), railId, railId, proof, createdAtSeconds, null, null);
        }

        return new Receipt(refid, "transaction", livemode, session.Id, "BUY", "completed",
            token, Format(Round((amount - fee) / fiatPerToken, 8)), network,
            session.Currency, Fiat(amount), Format(fiatPerToken), Fiat(fee), Fiat(amount),
            rail.Method, wallet, null, railId, railId, proof, createdAtSeconds, null, null);
    }

    private static (string Method, bool IsLocal) LocalRail(string currency) => currency switch
    {
        "EUR" or "DKK" => ("SEPA", false),
        "BRL" => ("PIX", true),
        "MXN" => ("SPEI", true),
        "COP" => ("PSE", true),
        _ => ("CARD", false),
    };

    private static BankDetails SandboxBank(string currency) => currency switch
    {
        "EUR" => new("Sandbox Test User", "DE89370400440532013000", "COBADEFFXXX", "Sandbox Bank EU", "SEPA payout (sandbox, no money moved)"),
        "DKK" => new("Sandbox Test User", "DK5000400440116243", "DABADKKK", "Sandbox Bank DK", "SEPA payout (sandbox, no money moved)"),
        "BRL" => new("Sandbox Test User", "0001234567", "0001", "Sandbox Banco", "PIX payout (sandbox, no money moved)"),
        "MXN" => new("Sandbox Test User", "032180000118359719", "002", "Sandbox Banco MX", "SPEI payout (sandbox, no money moved)"),
        "COP" => new("Sandbox Test User", "000123456789", "1007", "Sandbox Banco CO", "PSE payout (sandbox, no money moved)"),
        _ => new("Sandbox Test User", "000123456789", "110000000", "Sandbox Bank US", "Payout (sandbox, no money moved)"),
    };

    private static decimal Round(decimal value, int decimals) => Math.Round(value, decimals, MidpointRounding.ToEven);

    private static string Fiat(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Format(decimal value) => value.ToString("0.########", CultureInfo.InvariantCulture);
}
