using Portal.Core.Records;

namespace Portal.Core.StaffActions;

/// <summary>The bulk reconcile running on this instance, if any: one at a time, so 0Gate sees one paced stream of reads.</summary>
public sealed class BulkReconcileRuns
{
    private readonly Lock _lock = new();
    private (string RunId, StaffMember Staff)? _current;

    public StaffMember? Current
    {
        get
        {
            lock (_lock)
            {
                return _current?.Staff;
            }
        }
    }

    public bool TryStart(string runId, StaffMember staff, out StaffMember running)
    {
        lock (_lock)
        {
            if (_current is { } current)
            {
                running = current.Staff;
                return false;
            }

            _current = (runId, staff);
            running = staff;
            return true;
        }
    }

    public void Finish(string runId)
    {
        lock (_lock)
        {
            if (_current?.RunId == runId)
            {
                _current = null;
            }
        }
    }
}
