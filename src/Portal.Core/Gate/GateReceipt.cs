using System.Text.Json.Serialization;

namespace Portal.Core.Gate;

/// <summary>The receipt object of a completed transaction (docs/architecture.md#amounts-and-receipts).</summary>
public sealed record GateReceipt(
    string Refid,
    string Action,
    string? Status,
    string? Token,
    [property: JsonPropertyName("token_amt")] string? TokenAmount,
    string? Network,
    string? Currency,
    [property: JsonPropertyName("fiat_amt")] string? FiatAmount,
    string? ExchangeRate,
    string? TotalFees,
    string? TotalPayOrReceive,
    string? PaymentMethod,
    string? UserAddress,
    GateBank? Bank,
    GateBlockchain? Blockchain,
    string? PermalinkUrl,
    string? LocalRailTransactionId = null);
