using System.Text.Json.Serialization;
using Gate.Sandbox.Storage;

namespace Gate.Sandbox.Sessions;

public static class SessionStatus
{
    public const string Open = "open";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Expired = "expired";
    public const string Cancelled = "cancelled";
}

public static class Flows
{
    public const string OnRamp = "on_ramp";
    public const string OffRamp = "off_ramp";
    public const string Swap = "swap";
}

/// <summary>The session object of the API. Times are unix seconds.</summary>
public sealed record GateSession(
    string Id,
    [property: JsonPropertyName("object")] string ObjectType,
    bool Livemode,
    string Status,
    string Amount,
    string Currency,
    string Flow,
    string? TargetToken,
    string? TargetNetwork,
    string? WalletAddress,
    string? UserReference,
    string ReturnUrl,
    string? CancelUrl,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ClientSecret,
    long ExpiresAt,
    long CreatedAt,
    bool KycPreVerified,
    string? TxRefid)
{
    public static GateSession From(SessionRecord s, bool livemode, bool includeClientSecret = true) => new(
        s.Id,
        "gate_session",
        livemode,
        s.Status,
        s.Amount,
        s.Currency,
        s.Flow,
        s.TargetToken,
        s.TargetNetwork,
        s.WalletAddress,
        s.UserReference,
        s.ReturnUrl,
        s.CancelUrl,
        includeClientSecret ? s.ClientSecret : null,
        s.ExpiresAt / 1000,
        s.CreatedAt / 1000,
        s.KycPreVerified,
        s.TxRefid);
}

/// <summary>The only fields of an accepted kyc_package that ever leave the sandbox.</summary>
public sealed record KycPackageAccepted(string SessionId, string PartnerId, string Mode, string? Provider, long AcceptedAt, string? UserReference);
