using System.Text.Json.Serialization;
namespace Gate.Sandbox.Receipts;

/// <summary>The receipt object of the custody &amp; compliance guide (amounts are decimal strings).</summary>
public sealed record Receipt(
    string Refid,
    [property: JsonPropertyName("object")] string ObjectType,
    bool Livemode,
    string SessionId,
    string Action,
    string Status,
    string Token,
    string TokenAmt,
    string Network,
    string Currency,
    string FiatAmt,
    string ExchangeRate,
    string TotalFees,
    string TotalPayOrReceive,
    string PaymentMethod,
    string? UserAddress,
    BankDetails? Bank,
    string? LocalRailTransactionId,
    string? FacilitaTransactionId,
    BlockchainProof? Blockchain,
    long CreatedAt,
    string? PermalinkUrl,
    string? PermalinkToken);

public sealed record BankDetails(string AccountName, string AccountNumber, string RoutingNumber, string BankName, string AdditionalDetails);

public sealed record BlockchainProof(string Hash, int ChainId, string ExplorerUrl);
