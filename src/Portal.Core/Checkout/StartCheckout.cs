using Portal.Core.Attempts;

namespace Portal.Core.Checkout;

/// <summary>
/// A customer's start form, in 0Gate's session terms: <see cref="Amount"/> and <see cref="Currency"/>
/// are the value bound to the session. Buy: fiat to spend on <see cref="TargetToken"/>. Sell: fiat to
/// receive for <see cref="TargetToken"/>. Swap: source token amount, swapped into <see cref="TargetToken"/>.
/// The amount is the text the customer typed: it is parsed once, strictly, and never reinterpreted.
/// </summary>
public sealed record StartCheckout(
    CheckoutFlow Flow,
    string? Amount,
    string? Currency,
    string? TargetToken,
    string? TargetNetwork,
    string? WalletAddress,
    Guid StartToken);
