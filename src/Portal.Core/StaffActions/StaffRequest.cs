using Portal.Core.Records;

namespace Portal.Core.StaffActions;

/// <summary>
/// Who asks for a staff action, with the reason or note they gave (kept in the audit entry) and, for one attempt of a
/// bulk run, the run's id.
/// </summary>
public sealed record StaffRequest(StaffMember Staff, string? Reason = null, string? RunId = null)
{
    /// <summary>How timeline notes name who asked: "Sam", or "Sam (bulk run bulk_…)".</summary>
    public string Who => RunId is null ? Staff.DisplayName : $"{Staff.DisplayName} (bulk run {RunId})";

    /// <summary>Part of a bulk run, which paces its own calls and writes one audit entry for the attempts it did not change.</summary>
    public bool InRun => RunId is not null;
}
