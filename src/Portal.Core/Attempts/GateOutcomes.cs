using Portal.Core.Gate;

namespace Portal.Core.Attempts;

/// <summary>
/// What 0Gate's words mean for an attempt, in one place. A session read reports <c>open</c>, <c>completed</c>,
/// <c>failed</c>, <c>expired</c> or <c>cancelled</c>; the <c>gate_session.*</c> webhooks carry the same words.
/// </summary>
public static class GateOutcomes
{
    private const string SessionEventPrefix = "gate_session.";

    /// <summary>The terminal attempt status a 0Gate session status stands for; null while it is open (or unknown).</summary>
    public static AttemptStatus? ForSessionStatus(string? status) => status switch
    {
        "completed" => AttemptStatus.Fulfilled,
        "failed" => AttemptStatus.Failed,
        "expired" => AttemptStatus.Expired,
        "cancelled" => AttemptStatus.Cancelled,
        _ => null,
    };

    /// <summary>The terminal attempt status a <c>gate_session.*</c> event closes with (<c>gate_session.completed</c> → fulfilled).</summary>
    public static AttemptStatus? ForEventType(string type) =>
        type.StartsWith(SessionEventPrefix, StringComparison.Ordinal) ? ForSessionStatus(type[SessionEventPrefix.Length..]) : null;

    /// <summary>How the portal treats each event type it receives.</summary>
    public static GateSignal SignalOf(string type) => type switch
    {
        GateEventTypes.SessionCreated => GateSignal.SessionCreated,
        GateEventTypes.KycRequired => GateSignal.VerificationRequired,
        GateEventTypes.KycPackageAccepted => GateSignal.Notice,
        GateEventTypes.QuotaWarning or GateEventTypes.QuotaExhausted => GateSignal.Partner,
        _ when ForEventType(type) is not null => GateSignal.SessionClosed,
        _ => GateSignal.Unhandled,
    };
}
