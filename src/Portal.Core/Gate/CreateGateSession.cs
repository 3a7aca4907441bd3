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
