using System.Security.Claims;
using Portal.Auth;
using Portal.Core.Checkout;

namespace Portal.Checkout;

/// <summary>
/// Every read of an attempt by id goes through here: customers see only their own (anything else is
/// "not found", exactly like a missing id); support and admin see all.
/// </summary>
public sealed class AttemptAccess(CheckoutAttempts attempts)
{
    public async Task<CheckoutAttempt?> FindAsync(ClaimsPrincipal user, string attemptId, CancellationToken cancellationToken)
    {
        if (user.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        if (user.IsStaff())
        {
            return await attempts.GetAsync(attemptId, cancellationToken);
        }

        return user.GetAccountId() is { } accountId
            ? await attempts.GetForOwnerAsync(attemptId, accountId, cancellationToken)
            : null;
    }
}
