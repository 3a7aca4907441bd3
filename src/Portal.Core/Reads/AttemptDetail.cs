using Portal.Core.Attempts;
using Portal.Core.Records;

namespace Portal.Core.Reads;

/// <summary>An attempt with its full timeline, what surrounds it, and what support may do with it now.</summary>
public sealed record AttemptDetail(CheckoutAttempt Attempt, IReadOnlyList<TimelineEntry> Timeline)
{
    /// <summary>Per event id on the timeline: the secret that verified it (events processed before fingerprints were kept have none).</summary>
    public IReadOnlyDictionary<string, EventVerification> Verifications { get; init; } = new Dictionary<string, EventVerification>();

    public AttemptReceipt? Receipt { get; init; }

    /// <summary>What staff did to this attempt, newest first.</summary>
    public IReadOnlyList<AuditEntry> Audit { get; init; } = [];

    /// <summary><c>test</c> or <c>live</c>: as recorded on the attempt, else the current configuration's.</summary>
    public string Environment => Attempt.GateEnvironment ?? CurrentEnvironment;

    public string CurrentEnvironment { get; init; } = "test";

    /// <summary>What support may do with it now (<see cref="StaffActionRules"/>).</summary>
    public bool CanReconcile => StaffActionRules.CanReconcile(Attempt);

    public bool CanResolveReview => StaffActionRules.CanResolveReview(Attempt);

    public bool CanCancelSession => StaffActionRules.CanCancelSession(Attempt);
}
