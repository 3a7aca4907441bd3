using Portal.Core.Checkout;

namespace Portal.Core.StaffActions;

/// <summary>What a staff action's audit entry carries from the change it rides with.</summary>
internal static class StaffChangeRecord
{
    /// <summary>0Gate's request id of the last call this change recorded on the timeline (the read or the cancel).</summary>
    public static string? GateRequestId(this StaffChange change) =>
        change.Attempt.NewTimelineEntries.LastOrDefault(e => e.GateRequestId is not null)?.GateRequestId;
}
