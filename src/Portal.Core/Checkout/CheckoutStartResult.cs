using Portal.Core.Attempts;

namespace Portal.Core.Checkout;

public sealed record CheckoutStartResult(CheckoutAttempt? Attempt, IReadOnlyDictionary<string, string> Errors, string? Problem)
{
    public bool Succeeded => Attempt is { GateSessionId: not null } && Problem is null && Errors.Count == 0;
}
