using System.Security.Claims;
using Portal.Core.Attempts;
using Portal.Core.Checkout;
using Portal.Core.LiveUpdates;
using Portal.Core.Reads;
using Portal.Core.Gate;

namespace Portal.Checkout;

/// <summary>
/// One request's read of an outcome page (<c>/checkout/{id}/status</c>, <c>/return</c>, <c>/cancel</c>): the page
/// reads, and its interactive island's prerender takes the same answer (<see cref="ReadThisRequest"/>) instead of
/// reading again; the island then carries it into its circuit (<c>[PersistentState]</c>). Scoped: one per request, and
/// one per circuit, where nothing has been read.
/// </summary>
public sealed class OutcomeVisit(AttemptAccess access, CheckoutService checkout, CheckoutStatusCache statuses)
{
    private (string AttemptId, OutcomeArrival Arrival, CheckoutOutcome Outcome)? _read;

    /// <summary>
    /// The owner's outcome, or null for anyone else and for a missing id (the page answers 404). On the cancel page an
    /// open attempt's session is read from 0Gate first, since the hosted flow may already have cancelled or finished
    /// it, and only 0Gate's answer is applied (through the write path); when 0Gate cannot be reached, the portal's own
    /// state is shown. This is the visit's one call to 0Gate: the island never makes it.
    /// </summary>
    public async Task<CheckoutOutcome?> ReadAsync(ClaimsPrincipal user, string attemptId, OutcomeArrival arrival, CancellationToken cancellationToken)
    {
        var outcome = arrival == OutcomeArrival.Cancel
            ? await ReadAfterAskingGateAsync(user, attemptId, cancellationToken)
            : await access.FindOwnedOutcomeAsync(user, attemptId, arrival, cancellationToken);
        if (outcome is not null)
        {
            _read = (attemptId, arrival, outcome);
        }

        return outcome;
    }

    /// <summary>What <see cref="ReadAsync"/> answered for this attempt and URL in this request, if it was called.</summary>
    public CheckoutOutcome? ReadThisRequest(string attemptId, OutcomeArrival arrival) =>
        _read is { } read && read.AttemptId == attemptId && read.Arrival == arrival ? read.Outcome : null;

    private async Task<CheckoutOutcome?> ReadAfterAskingGateAsync(ClaimsPrincipal user, string attemptId, CancellationToken cancellationToken)
    {
        // The owner check reads through the status cache, so the island's first look finds this read there.
        if (await access.FindOwnedOutcomeAndSessionAsync(user, attemptId, OutcomeArrival.Cancel, cancellationToken) is not { } found)
        {
            return null;
        }

        var (outcome, sessionId) = found;

        if (outcome.Status.Status.IsTerminal() || sessionId is null)
        {
            return outcome;
        }

        CheckoutAttempt? attempt;
        try
        {
            // The write starts from a fresh read in its own transaction, as every write does; what it left is shown.
            attempt = await checkout.ReconcileAsync(attemptId, sessionId, "customer's cancel page", cancellationToken);
        }
        catch (GateApiException)
        {
            // 0Gate is unreachable: the page shows the portal's state and the cancel button.
            return outcome;
        }

        if (attempt is null)
        {
            return outcome;
        }

        var view = CheckoutStatusView.For(attempt, OutcomeArrival.Cancel);
        var receipt = attempt is { Status: AttemptStatus.Fulfilled, ReceiptStoredAt: not null }
            ? await statuses.GetReceiptAsync(attempt.Id, cancellationToken)
            : null;
        return new CheckoutOutcome(view, receipt);
    }
}
