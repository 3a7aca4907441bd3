using System.Security.Claims;
using Portal.Auth;
using Portal.Core.Checkout;

namespace Portal.Checkout;

/// <summary>
/// Customer routes (<c>/checkout/{id}…</c>, <c>/api/checkout/{id}/status</c>) are the owner's alone: anyone else,
/// support and admin included, gets "not found", exactly like a missing id. Staff read attempts on <c>/support/…</c>.
/// </summary>
public sealed class AttemptAccess(CheckoutAttempts attempts)
{
    public async Task<CheckoutAttempt?> FindOwnedAsync(ClaimsPrincipal user, string attemptId, CancellationToken cancellationToken) =>
        user.GetAccountId() is { } accountId
            ? await attempts.GetForOwnerAsync(attemptId, accountId, cancellationToken)
            : null;
}
