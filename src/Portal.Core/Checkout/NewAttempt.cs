using Microsoft.EntityFrameworkCore;
using Portal.Core.Audit;
using Portal.Core.Gate;
using Portal.Core.Persistence;

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
