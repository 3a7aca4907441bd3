using Portal.Core.Checkout;
using Portal.Core.Gate;

namespace Portal.Core.Support;

public enum ReconcileOutcome
{
    /// <summary>0Gate's session state moved the attempt (e.g. processing → fulfilled).</summary>
    Moved,

    /// <summary>0Gate was read; the attempt already matches it, or the session is still open.</summary>
    Unchanged,

    /// <summary>No 0Gate session, or a closed attempt with no review flag: nothing to read.</summary>
    NotApplicable,

    /// <summary>0Gate could not be reached (or answered 5xx/429): nothing changed; try again later.</summary>
    GateUnavailable,

    /// <summary>0Gate answered with a client error (e.g. the session is unknown to it).</summary>
    GateRefused,

    NotFound,

    /// <summary>This staff member asked for many reconciles in the last minute: nothing was read.</summary>
    RateLimited,
}

public sealed record ReconcileResult(ReconcileOutcome Outcome, string Message, CheckoutAttempt? Attempt)
{
    public bool Failed => Outcome is ReconcileOutcome.GateUnavailable or ReconcileOutcome.GateRefused or ReconcileOutcome.NotFound or ReconcileOutcome.RateLimited;
}

/// <summary>
/// Support's "Reconcile": read the 0Gate session server-side through <see cref="CheckoutService.ReconcileAsync"/>
/// (which applies a terminal state with a conditional update) and note on the timeline who asked.
/// A 0Gate outage becomes a result, never an exception for the page.
/// </summary>
public sealed class SupportReconciler(
    SupportAttempts support,
    CheckoutService checkout,
    AttemptWriter attempts,
    Limits.UserActionLimits limits,
    TimeProvider time,
    ILogger<SupportReconciler> logger)
{
    public async Task<ReconcileResult> ReconcileAsync(string attemptId, string staffName, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(staffName);
        var detail = await support.GetDetailAsync(attemptId, cancellationToken);
        if (detail is null)
        {
            return new(ReconcileOutcome.NotFound, "No attempt found with that id.", null);
        }

        var before = detail.Attempt;
        if (!detail.CanReconcile)
        {
            var why = before.GateSessionId is null
                ? "This attempt has no 0Gate session, so there is nothing to read at 0Gate."
                : $"This attempt is already {before.Status.ToWire()} and not flagged for review.";
            return new(ReconcileOutcome.NotApplicable, why, before);
        }

        if (!limits.TryReconcile(staffName))
        {
            return new(ReconcileOutcome.RateLimited, "You have reconciled many attempts in the last minute. Wait a moment, then try again; nothing was read.", before);
        }

        try
        {
            var after = await checkout.ReconcileAsync(before, $"requested by {staffName} in support", cancellationToken) ?? before;
            var moved = after.Status != before.Status;
            var message = moved
                ? $"0Gate's session moved the attempt from {before.Status.ToWire()} to {after.Status.ToWire()}."
                : after.IsTerminal
                    ? $"0Gate was read; the attempt stays {after.Status.ToWire()} (a closed attempt never changes). The timeline shows what 0Gate reported."
                    : $"0Gate was read; the session is still open, so the attempt stays {after.Status.ToWire()}.";
            await NoteAsync(before.Id, $"Reconciled by {staffName}: {before.Status.ToWire()} → {after.Status.ToWire()}", cancellationToken);
            return new(moved ? ReconcileOutcome.Moved : ReconcileOutcome.Unchanged, message, after);
        }
        catch (GateApiException ex)
        {
            logger.LogWarning("Support reconcile of {AttemptId} failed: {Status} {Code} (request {RequestId})", before.Id, (int?)ex.Status, ex.Code, ex.RequestId);
            var transient = ex.IsTransient;
            var reference = ex.RequestId is null ? string.Empty : $" (0Gate request {ex.RequestId})";
            await NoteAsync(before.Id, $"Reconcile by {staffName} failed: 0Gate {(transient ? "unavailable" : "refused")} {ex.Code}".TrimEnd(), cancellationToken, ex.RequestId);
            return transient
                ? new(ReconcileOutcome.GateUnavailable, $"0Gate could not be reached just now, so nothing changed. Try again in a moment.{reference}", before)
                : new(ReconcileOutcome.GateRefused, $"0Gate refused to read this session ({ex.Code ?? "error"}), so nothing changed.{reference}", before);
        }
    }

    private Task NoteAsync(string attemptId, string summary, CancellationToken cancellationToken, string? requestId = null) =>
        attempts.RecordAsync(new TimelineEntry(attemptId, TimelineKind.Note, summary, time.GetUtcNow()) { GateRequestId = requestId }, cancellationToken);
}
