using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Core.Attempts;
using Portal.Core.Records;
using Portal.Core.StaffActions;

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

    /// <summary>
    /// Reading the 0Gate session helps while the attempt is open, and as a re-check of a flagged one.
    /// Without a session there is nothing at 0Gate to read.
    /// </summary>
    public bool CanReconcile => Attempt.GateSessionId is not null && (!Attempt.IsTerminal || Attempt.NeedsReview);

    public bool CanResolveReview => Attempt.NeedsReview;

    /// <summary>Only an open attempt has a 0Gate session worth cancelling.</summary>
    public bool CanCancelSession => SupportCanceller.CanCancel(Attempt);
}
