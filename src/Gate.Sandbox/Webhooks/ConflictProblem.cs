namespace Gate.Sandbox.Webhooks;

/// <summary>Why a conflicting test event was not sent.</summary>
public enum ConflictProblem
{
    None,
    NotTerminalType,
    NoSuchSession,
    NotConflicting,
}
