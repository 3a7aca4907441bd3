using Portal.Core.Attempts;

namespace Portal.Core.Checkout;

public sealed record NewAttempt(
    string AccountId,
    CheckoutFlow Flow,
    decimal Amount,
    string Currency,
    string? TargetToken = null,
    string? TargetNetwork = null,
    string? WalletAddress = null,
    Guid? StartToken = null,
    SessionTarget? Target = null,
    string? CustomerEmail = null);
