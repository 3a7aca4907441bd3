namespace Portal.Core.Admin;

public sealed record GateReachability(bool Reachable, TimeSpan Elapsed, string? RequestId, string? Problem);
