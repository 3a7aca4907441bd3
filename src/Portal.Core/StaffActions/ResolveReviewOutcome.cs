namespace Portal.Core.StaffActions;

public enum ResolveReviewOutcome
{
    Resolved,

    /// <summary>The flag was already clear: a second click, or a colleague was quicker.</summary>
    AlreadyResolved,

    NoteRequired,

    NotFound,
}
