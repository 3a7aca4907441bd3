using Microsoft.EntityFrameworkCore;
using Portal.Core.Persistence;

namespace Portal.Core.Checkout;

/// <summary>
/// The only way a status is written: <c>UPDATE … SET status = @to WHERE id = @id AND status IN (allowed)</c>,
/// plus a timeline entry, on the caller's context and transaction. A caller that gets <c>false</c> lost
/// the race (or the move is not allowed) and must not run side effects.
/// </summary>
internal static class AttemptTransitions
{
    public static async Task<bool> TryMoveAsync(
        PortalDbContext db,
        CheckoutAttempt current,
        AttemptStatus to,
        DateTimeOffset at,
        string cause,
        CancellationToken cancellationToken,
        string? closedByEventId = null,
        string? txRefId = null)
    {
        var allowed = AttemptStateMachine.AllowedSources(to);
        var id = current.Id;
        var rows = await db.Attempts
            .Where(a => a.Id == id && allowed.Contains(a.Status))
            .ExecuteUpdateAsync(
                set =>
                {
                    set.SetProperty(a => a.Status, to).SetProperty(a => a.UpdatedAt, at);
                    if (to.IsTerminal())
                    {
                        set.SetProperty(a => a.ClosedAt, at);
                        set.SetProperty(a => a.ClosedByEventId, closedByEventId);
                    }

                    if (txRefId is not null)
                    {
                        set.SetProperty(a => a.TxRefId, txRefId);
                    }
                },
                cancellationToken);

        if (rows == 0)
        {
            return false;
        }

        db.Timeline.Add(TimelineEntry.StateChange(id, current.Status, to, cause, at));
        return true;
    }

    public static Task FlagForReviewAsync(PortalDbContext db, string attemptId, DateTimeOffset at, CancellationToken cancellationToken) =>
        db.Attempts.Where(a => a.Id == attemptId)
            .ExecuteUpdateAsync(set => set.SetProperty(a => a.NeedsReview, true).SetProperty(a => a.UpdatedAt, at), cancellationToken);

    public static Task<int> AttachSessionAsync(PortalDbContext db, string attemptId, string sessionId, DateTimeOffset at, CancellationToken cancellationToken) =>
        db.Attempts.Where(a => a.Id == attemptId && a.GateSessionId == null)
            .ExecuteUpdateAsync(set => set.SetProperty(a => a.GateSessionId, sessionId).SetProperty(a => a.UpdatedAt, at), cancellationToken);
}
