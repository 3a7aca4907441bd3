namespace Portal.Core.LiveUpdates;

/// <summary>
/// What the trigger on <c>checkout_attempts</c> sends on <see cref="Channel"/> when an attempt row changes, inside the
/// changing transaction (PostgreSQL delivers a notification on commit, never on rollback). <see cref="Origin"/> is the
/// writing connection's <c>application_name</c> (<see cref="InstanceIdentity.ApplicationName"/>). See the migration
/// <c>AttemptChangeNotifyTrigger</c>.
/// </summary>
internal sealed record ChangeNotice(string? Origin, string AttemptId, string Status, string Previous)
{
    public const string Channel = "portal_attempt_changes";
}
