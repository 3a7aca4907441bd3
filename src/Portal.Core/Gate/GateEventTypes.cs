namespace Portal.Core.Gate;

public static class GateEventTypes
{
    public const string SessionCreated = "gate_session.created";
    public const string SessionCompleted = "gate_session.completed";
    public const string SessionFailed = "gate_session.failed";
    public const string SessionExpired = "gate_session.expired";
    public const string SessionCancelled = "gate_session.cancelled";
    public const string KycPackageAccepted = "gate_session.kyc_package_accepted";
    public const string KycRequired = "kyc.required";
    public const string QuotaWarning = "partner.quota.warning";
    public const string QuotaExhausted = "partner.quota.exhausted";

    /// <summary>Every type the portal handles, in lifecycle order.</summary>
    public static readonly IReadOnlyList<string> All =
        [SessionCreated, SessionCompleted, SessionFailed, SessionExpired, SessionCancelled, KycPackageAccepted, KycRequired, QuotaWarning, QuotaExhausted];

    public static bool IsKnown(string type) => type is SessionCreated or SessionCompleted or SessionFailed or SessionExpired or SessionCancelled
        or KycPackageAccepted or KycRequired or QuotaWarning or QuotaExhausted;
}
