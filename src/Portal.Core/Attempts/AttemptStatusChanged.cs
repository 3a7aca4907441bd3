namespace Portal.Core.Attempts;

/// <summary>
/// A committed change of an attempt: its status now and before. Equal statuses mean another part changed (a review
/// flag, a verification request): watchers re-read the attempt either way.
/// </summary>
public sealed record AttemptStatusChanged(string AttemptId, AttemptStatus Status, AttemptStatus Previous)
{
    public bool Fulfilled => Status == AttemptStatus.Fulfilled && Previous != AttemptStatus.Fulfilled;

    /// <summary>This change closed the attempt.</summary>
    public bool Closed => Status.IsTerminal() && !Previous.IsTerminal();

    /// <summary>The attempt has an address for outcome emails (set by the writer that saw the attempt).</summary>
    public bool EmailsCustomer { get; init; }

    /// <summary>0Gate asked (again) for identity verification in this change (set by the writer that saw the attempt).</summary>
    public bool VerificationRequested { get; init; }
}
