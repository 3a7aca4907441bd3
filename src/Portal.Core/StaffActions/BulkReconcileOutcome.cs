using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

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
