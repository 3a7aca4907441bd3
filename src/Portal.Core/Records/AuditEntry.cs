namespace Portal.Core.Records;

/// <summary>
/// One line of the staff audit log: who did what to which attempt, why, and how it ended. Append-only: there is no
/// method that changes an entry, and the store refuses UPDATE and DELETE on the table (a trigger). Written in the same
/// transaction as the change it records, where there is one. Never holds a secret or a payload.
/// </summary>
public sealed class AuditEntry
{
    public const int ReasonMaxLength = 500;
    public const int DetailMaxLength = 500;
    public const int StateMaxLength = 4000;

    private AuditEntry()
    {
        ActorSubject = string.Empty;
        ActorName = string.Empty;
        ActorRole = string.Empty;
        Detail = string.Empty;
    }

    public AuditEntry(StaffMember actor, AuditAction action, string? attemptId, AuditResult result, string detail, DateTimeOffset occurredAt, string? reason = null, string? runId = null,
        string? gateRequestId = null, string? before = null, string? after = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor.Subject);
        ActorSubject = Clip(actor.Subject, 200);
        ActorName = Clip(string.IsNullOrWhiteSpace(actor.DisplayName) ? actor.Subject : actor.DisplayName, 200);
        ActorRole = Clip(actor.Role, 32);
        Action = action;
        AttemptId = attemptId;
        Result = result;
        Detail = Clip(detail, DetailMaxLength);
        Reason = string.IsNullOrWhiteSpace(reason) ? null : Clip(reason.Trim(), ReasonMaxLength);
        RunId = runId;
        OccurredAt = occurredAt;
        GateRequestId = string.IsNullOrWhiteSpace(gateRequestId) ? null : Clip(gateRequestId, 100);
        Before = before is null ? null : Clip(before, StateMaxLength);
        After = after is null ? null : Clip(after, StateMaxLength);
    }

    public long Id { get; private set; }

    public DateTimeOffset OccurredAt { get; private set; }

    /// <summary>The identity provider's <c>sub</c> of the staff member.</summary>
    public string ActorSubject { get; private set; }

    public string ActorName { get; private set; }

    /// <summary><c>support</c> or <c>admin</c>.</summary>
    public string ActorRole { get; private set; }

    public AuditAction Action { get; private set; }

    /// <summary>The attempt acted on; null for a bulk run's own entry.</summary>
    public string? AttemptId { get; private set; }

    /// <summary>The staff member's reason (cancel) or note (resolve review).</summary>
    public string? Reason { get; private set; }

    public AuditResult Result { get; private set; }

    /// <summary>What happened, support-safe: "requires_action → cancelled", "0Gate unavailable (request req_…)".</summary>
    public string Detail { get; private set; }

    /// <summary>The bulk run this entry belongs to (<c>bulk_…</c>): the run's own entry and each attempt it changed.</summary>
    public string? RunId { get; private set; }

    /// <summary>0Gate's <c>Request-Id</c> of the call the action made (the last one, where it made several), to quote to 0Gate.</summary>
    public string? GateRequestId { get; private set; }

    /// <summary>What the action changed, as it was: a status (<c>requires_action</c>) or the allowed origins, one a line.</summary>
    public string? Before { get; private set; }

    /// <summary>What the action changed, as it is now; the same form as <see cref="Before"/>.</summary>
    public string? After { get; private set; }

    private static string Clip(string value, int length) => value.Length <= length ? value : value[..length];
}
