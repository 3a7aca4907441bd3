using System.Diagnostics;
using Portal.Core.Attempts;
using Portal.Core.Checkout;
using Portal.Core.Gate;
using Portal.Core.Limits;
using Portal.Core.Reads;
using Portal.Core.Records;

namespace Portal.Core.StaffActions;

/// <summary>
/// Support's "Mark review resolved": clears the review flag with a timeline note naming the staff member (written by
/// <see cref="CheckoutAttempt.ResolveReview"/>) and the audit entry, in one transaction, as a
/// <see cref="StaffAction{TResult}"/> that calls nothing at 0Gate. A note is required: the log says why the conflict
/// was acceptable. A flag already clear is still audited ("the review flag was already clear").
/// </summary>
public sealed class ReviewResolver(
    AttemptDetails attempts,
    AttemptWriter writer,
    UserActionLimits limits,
    TimeProvider time,
    ILogger<ReviewResolver> logger) : StaffAction<ReviewResolver.Resolution>(attempts, writer, limits, time, logger)
{
    public const int NoteMaxLength = 300;

    protected override AuditAction Action => AuditAction.ResolveReview;

    protected override string Name => "Review resolution";

    protected override bool CallsGate => false;

    public Task<ResolveReviewOutcome> ResolveReviewAsync(string attemptId, StaffMember staff, string? note, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        return ResolveAsync(attemptId, new StaffRequest(staff, Reason: note?.Trim()), cancellationToken);
    }

    private async Task<ResolveReviewOutcome> ResolveAsync(string attemptId, StaffRequest request, CancellationToken cancellationToken) =>
        (await RunAsync(attemptId, request, cancellationToken)).Outcome;

    protected override Resolution? Refuse(StaffRequest request) =>
        string.IsNullOrEmpty(request.Reason) || request.Reason.Length > NoteMaxLength ? new(ResolveReviewOutcome.NoteRequired) : null;

    protected override Resolution NotFound() => new(ResolveReviewOutcome.NotFound);

    protected override Resolution? NotApplicable(CheckoutAttempt attempt) => null; // an unflagged attempt is audited as such

    protected override Resolution RateLimited(CheckoutAttempt attempt) => throw new UnreachableException(); // calls nothing at 0Gate: no limit

    protected override async Task<Resolution> ApplyAsync(CheckoutAttempt before, StaffRequest request, StaffAudit audit, CancellationToken cancellationToken)
    {
        var update = await Writer.UpdateAsync(before.Id, (attempt, now) => attempt.ResolveReview(request.Staff.DisplayName, request.Reason!, now), cancellationToken, audit);
        return new(update switch
        {
            { Attempt: null } => ResolveReviewOutcome.NotFound,
            { Outcome: ChangeOutcome.Moved } => ResolveReviewOutcome.Resolved,
            _ => ResolveReviewOutcome.AlreadyResolved,
        });
    }

    protected override Resolution GateFailed(CheckoutAttempt before, GateApiException failure, string reference) => throw new UnreachableException();

    protected override string? Note(StaffChange change, StaffRequest request) => null;

    protected override (bool Changed, string Detail, string Before, string After) Describe(StaffChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var cleared = change.Outcome == ChangeOutcome.Moved;
        return (cleared, cleared ? "review flag cleared" : "the review flag was already clear", cleared ? "needs review" : "not flagged", "not flagged");
    }

    /// <summary>The outcome as the template carries it.</summary>
    public sealed record Resolution(ResolveReviewOutcome Outcome);
}
