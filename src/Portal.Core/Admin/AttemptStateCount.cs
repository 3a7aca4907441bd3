using Portal.Core.Attempts;

namespace Portal.Core.Admin;

public sealed record AttemptStateCount(AttemptStatus Status, int Count)
{
    public string Name => Status.ToWire();
}
