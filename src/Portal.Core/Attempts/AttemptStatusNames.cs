namespace Portal.Core.Attempts;

public static class AttemptStatusNames
{
    public static string ToWire(this AttemptStatus status) => status switch
    {
        AttemptStatus.PendingSession => "pending_session",
        AttemptStatus.RequiresAction => "requires_action",
        AttemptStatus.Processing => "processing",
        AttemptStatus.Fulfilled => "fulfilled",
        AttemptStatus.Failed => "failed",
        AttemptStatus.Expired => "expired",
        AttemptStatus.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static AttemptStatus FromWire(string value) => value switch
    {
        "pending_session" => AttemptStatus.PendingSession,
        "requires_action" => AttemptStatus.RequiresAction,
        "processing" => AttemptStatus.Processing,
        "fulfilled" => AttemptStatus.Fulfilled,
        "failed" => AttemptStatus.Failed,
        "expired" => AttemptStatus.Expired,
        "cancelled" => AttemptStatus.Cancelled,
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "Unknown attempt status."),
    };

    /// <summary>Reads a wire name without throwing (input from a URL).</summary>
    public static bool TryFromWire(string? value, out AttemptStatus status)
    {
        foreach (var candidate in Enum.GetValues<AttemptStatus>())
        {
            if (candidate.ToWire() == value)
            {
                status = candidate;
                return true;
            }
        }

        status = default;
        return false;
    }

    public static bool IsTerminal(this AttemptStatus status) =>
        status is AttemptStatus.Fulfilled or AttemptStatus.Failed or AttemptStatus.Expired or AttemptStatus.Cancelled;
}
