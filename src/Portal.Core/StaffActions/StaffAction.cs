using Portal.Core.Attempts;
using Portal.Core.Checkout;
using Portal.Core.Gate;
using Portal.Core.Limits;
using Portal.Core.Reads;
using Portal.Core.Records;

namespace Portal.Core.StaffActions;

/// <summary>
/// The one sequence every staff action on an attempt follows, so a new action is one small class that says only what
/// differs: check the request, load the attempt, check that the action applies to it, take one from the person's limit
/// (an action that calls 0Gate, outside a bulk run), apply it (call 0Gate, then write what it said through
/// <see cref="AttemptWriter"/>) with a timeline note and the audit entry (who, when, what, before → after, 0Gate's
/// request id) committed in the same transaction, and, when 0Gate fails, note the failure on the timeline with its
/// audit entry. A 0Gate outage becomes a result, never an exception for the page.
/// </summary>
/// <typeparam name="TResult">What the page is told.</typeparam>
public abstract class StaffAction<TResult>(AttemptDetails attempts, AttemptWriter writer, UserActionLimits limits, TimeProvider time, ILogger logger)
    where TResult : class
{
    /// <summary>The audit log's name for the action.</summary>
    protected abstract AuditAction Action { get; }

    /// <summary>How the timeline names the action in a failure note ("Reconcile", "Session cancel") and the log in lower case.</summary>
    protected abstract string Name { get; }

    /// <summary>How the log names the action when 0Gate fails ("reconcile", "cancel").</summary>
    protected virtual string LogName => Name.ToLowerInvariant();

    /// <summary>Costs a call to 0Gate: limited per person and its failures noted. One that only writes needs neither.</summary>
    protected virtual bool CallsGate => true;

    protected AttemptWriter Writer => writer;

    /// <summary>A request that cannot be carried out as asked (no reason given), before anything is read; null when it can.</summary>
    protected virtual TResult? Refuse(StaffRequest request) => null;

    protected abstract TResult NotFound();

    /// <summary>Why the action does not apply to the attempt as it stands; null when it does.</summary>
    protected abstract TResult? NotApplicable(CheckoutAttempt attempt);

    protected abstract TResult RateLimited(CheckoutAttempt attempt);

    /// <summary>Calls 0Gate and writes what it said, passing <paramref name="audit"/> to the write; tells the page what came of it.</summary>
    protected abstract Task<TResult> ApplyAsync(CheckoutAttempt before, StaffRequest request, StaffAudit audit, CancellationToken cancellationToken);

    /// <summary>0Gate could not be reached or refused: nothing changed.</summary>
    /// <param name="reference">" (0Gate request …)" when 0Gate gave a request id, else empty.</param>
    protected abstract TResult GateFailed(CheckoutAttempt before, GateApiException failure, string reference);

    /// <summary>The note on the attempt's timeline that says who did this and what it did; null when the change records its own.</summary>
    protected abstract string? Note(StaffChange change, StaffRequest request);

    /// <summary>What the audit entry says of the change: whether it changed anything, the detail, and before → after.</summary>
    protected virtual (bool Changed, string Detail, string Before, string After) Describe(StaffChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var states = change.StatusChanged
            ? $"{change.Before.ToWire()} → {change.Attempt.Status.ToWire()}"
            : $"stays {change.Attempt.Status.ToWire()}";
        return (change.StatusChanged, change.GateSaid is null ? states : $"{states} · {change.GateSaid}", change.Before.ToWire(), change.Attempt.Status.ToWire());
    }

    protected async Task<TResult> RunAsync(string? attemptId, StaffRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Refuse(request) is { } refused)
        {
            return refused;
        }

        var before = await attempts.GetAsync(attemptId, cancellationToken);
        if (before is null)
        {
            return NotFound();
        }

        if (NotApplicable(before) is { } notApplicable)
        {
            return notApplicable;
        }

        if (CallsGate && !request.InRun && !limits.TryReconcile(request.Staff.Key))
        {
            return RateLimited(before);
        }

        try
        {
            return await ApplyAsync(before, request, change => Record(change, request), cancellationToken);
        }
        catch (GateApiException ex) when (CallsGate)
        {
            logger.LogWarning("Support {Action} of {AttemptId} failed: {Status} {Code} (request {RequestId})",
                LogName, before.Id, (int?)ex.Status, ex.Code, ex.RequestId);
            var reference = ex.RequestId is null ? string.Empty : $" (0Gate request {ex.RequestId})";
            var failure = $"0Gate {(ex.IsTransient ? "unavailable" : "refused")} {ex.Code}".TrimEnd();
            var now = time.GetUtcNow();
            await writer.RecordAsync(
                new TimelineEntry(before.Id, TimelineKind.Note, $"{Name} by {request.Who} failed: {failure}", now) { GateRequestId = ex.RequestId },
                cancellationToken,
                audit: request.InRun ? null : new AuditEntry(request.Staff, Action, before.Id, AuditResult.Failed, failure + reference, now,
                    reason: request.Reason, gateRequestId: ex.RequestId));
            return GateFailed(before, ex, reference);
        }
    }

    /// <summary>Inside the write: the note, and the audit entry (a bulk run's attempt only when it changed; the run's entry counts the rest).</summary>
    private AuditEntry? Record(StaffChange change, StaffRequest request)
    {
        if (Note(change, request) is { } note)
        {
            change.Attempt.Record(new TimelineEntry(change.Attempt.Id, TimelineKind.Note, note, change.At));
        }

        var (changed, detail, before, after) = Describe(change);
        return request.InRun && !changed
            ? null
            : new AuditEntry(request.Staff, Action, change.Attempt.Id, changed ? AuditResult.Changed : AuditResult.Unchanged, detail, change.At,
                reason: request.Reason, runId: request.RunId, gateRequestId: change.GateRequestId(), before: before, after: after);
    }
}
