using System.Security.Claims;
using Portal.Auth;
using Portal.Core.Attempts;
using Portal.Core.LiveUpdates;
using Portal.Core.Reads;

namespace Portal.Checkout;

/// <summary>
/// Customer routes (<c>/checkout/{id}…</c>, <c>/api/checkout/{id}/status</c>) are the owner's alone: anyone else,
/// support and admin included, gets "not found", exactly like a missing id. Staff read attempts on <c>/support/…</c>.
/// </summary>
public sealed class AttemptAccess(AttemptReads attempts, CheckoutStatusCache statuses)
{
    /// <summary>The owner's view of the attempt's status (what the status API answers), from the status cache.</summary>
    public async Task<CheckoutStatusView?> FindOwnedStatusAsync(ClaimsPrincipal user, string attemptId, CancellationToken cancellationToken) =>
        user.GetAccountId() is { } accountId
            ? await statuses.GetForOwnerAsync(attemptId, accountId, cancellationToken)
            : null;

    /// <summary>What the owner's outcome page on <paramref name="arrival"/> shows (status and receipt), from the status cache.</summary>
    public async Task<CheckoutOutcome?> FindOwnedOutcomeAsync(ClaimsPrincipal user, string attemptId, OutcomeArrival arrival, CancellationToken cancellationToken) =>
        user.GetAccountId() is { } accountId
            ? await statuses.GetOutcomeForOwnerAsync(attemptId, accountId, arrival, cancellationToken)
            : null;

    /// <summary><see cref="FindOwnedOutcomeAsync"/> with the attempt's 0Gate session id (the cancel page asks 0Gate about it).</summary>
    public async Task<(CheckoutOutcome Outcome, string? GateSessionId)?> FindOwnedOutcomeAndSessionAsync(
        ClaimsPrincipal user, string attemptId, OutcomeArrival arrival, CancellationToken cancellationToken) =>
        user.GetAccountId() is { } accountId
            ? await statuses.GetOutcomeAndSessionForOwnerAsync(attemptId, accountId, arrival, cancellationToken)
            : null;

    public async Task<CheckoutAttempt?> FindOwnedAsync(ClaimsPrincipal user, string attemptId, CancellationToken cancellationToken) =>
        user.GetAccountId() is { } accountId
            ? await attempts.GetForOwnerAsync(attemptId, accountId, cancellationToken)
            : null;
}
