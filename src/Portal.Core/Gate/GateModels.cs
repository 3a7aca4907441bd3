using System.Text.Json.Serialization;

namespace Portal.Core.Gate;

/// <summary>POST /v1/gate_sessions body. The flow and amount are locked here, server-side.</summary>
public sealed record CreateGateSession(
    string Amount,
    string Currency,
    string Flow,
    string ReturnUrl,
    string CancelUrl,
    string UserReference,
    string? TargetToken,
    string? TargetNetwork,
    string? WalletAddress);

public sealed record GateSession(
    string Id,
    string Status,
    string? Amount,
    string? Currency,
    string? Flow,
    string? TargetToken,
    string? TargetNetwork,
    string? UserReference,
    string? ClientSecret,
    long? ExpiresAt,
    string? TxRefid)
{
    public bool IsOpen => Status == "open";

    // The client secret mounts one hosted flow: keep it out of logs and traces.
    public override string ToString() => $"GateSession({Id}, {Status})";
}

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

/// <summary>
/// One currency's or token's amounts as 0Gate takes them: its own decimals (EUR 2, USDC 6, ETH 18) and the smallest and
/// largest session amount, as exact decimal strings (never floating point).
/// </summary>
public sealed record GateAsset(string Code, int Decimals, string? MinAmount, string? MaxAmount)
{
    public decimal? Min => Parse(MinAmount);

    public decimal? Max => Parse(MaxAmount);

    /// <summary>An amount written with exactly this asset's decimals, e.g. <c>10.50 EUR</c>.</summary>
    public string Format(decimal amount) =>
        amount.ToString("F" + Math.Clamp(Decimals, 0, 28).ToString(System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture);

    private static decimal? Parse(string? value) =>
        decimal.TryParse(value, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
}

public sealed record GateBlockchain(string? Hash, long? ChainId, string? ExplorerUrl);

public sealed record GateBank(string? AccountName, string? AccountNumber, string? RoutingNumber, string? BankName);

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

/// <summary>
/// One delivery of one event by 0Gate's webhook worker (times in unix milliseconds): its state after the latest try,
/// and each try in order.
/// </summary>
public sealed record GateWebhookDelivery(
    string? EventId,
    string? EventType,
    string? Status,
    int? Attempt,
    int? HttpStatus,
    long? NextRetryAt,
    long? CreatedAt,
    string? Id = null,
    string? Error = null,
    long? DeliveredAt = null,
    IReadOnlyList<GateDeliveryAttempt>? Attempts = null);

/// <summary>One try of a delivery: HTTP status (none when the connection failed), the error, and when the next try is due.</summary>
public sealed record GateDeliveryAttempt(int? Attempt, int? HttpStatus, string? Error, long? AttemptedAt, long? NextRetryAt);

public sealed record GatePartner(
    IReadOnlyList<string> AllowedDomains,
    string? WebhookUrl,
    bool KycTrusted);

/// <summary>What of the partner settings decides whether a checkout can start: the allowed domains and the quota (when reported).</summary>
public sealed record GatePartnerLimits(IReadOnlyList<string>? AllowedDomains, GateQuota? Quota);

/// <summary>The partner's session quota, where 0Gate reports it (the sandbox does, on <c>GET /v1/partner</c>). A limit of 0 means unlimited.</summary>
public sealed record GateQuota(int Limit, int Used, int WarningAt);

/// <summary>A delivery 0Gate queued (a resend): its id and the event it carries.</summary>
public sealed record GateQueuedDelivery(string Id, string EventId, string EventType, string? Status);

/// <summary>A test event 0Gate made up and queued for delivery.</summary>
public sealed record GateSentEvent(string Id, string Type);

/// <summary>A call's outcome with 0Gate's <c>Request-Id</c>, recorded on the timeline for support.</summary>
public sealed record GateResponse<T>(T Value, string? RequestId);
