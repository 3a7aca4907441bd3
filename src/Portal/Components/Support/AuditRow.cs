using Portal.Core.Records;

namespace Portal.Components.Support;

/// <summary>One staff action as the audit tables show it.</summary>
public sealed record AuditRow(
    DateTimeOffset OccurredAt,
    string ActorName,
    string ActorRole,
    string ActorSubject,
    AuditAction Action,
    string? AttemptId,
    string? RunId,
    AuditResult Result,
    string Detail,
    string? Reason,
    string? Before,
    string? After,
    string? GateRequestId)
{
    public static AuditRow From(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new(entry.OccurredAt, entry.ActorName, entry.ActorRole, entry.ActorSubject, entry.Action, entry.AttemptId, entry.RunId, entry.Result,
            entry.Detail, entry.Reason, entry.Before, entry.After, entry.GateRequestId);
    }
}
