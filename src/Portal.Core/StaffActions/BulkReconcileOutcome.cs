namespace Portal.Core.StaffActions;

public enum BulkReconcileOutcome
{
    Completed,
    Stopped,
    NothingToDo,
    Invalid,
    AlreadyRunning,
    RateLimited,
}
