namespace Portal.Core.Gate;

public sealed record GateSession(
    string Id,
    string Status,
    string? Amount,
    string? Currency,
    string? Flow,
    string? TargetToken,
    string? TargetNetwork,
    string? UserReference,
    string? ClientSecret,
    long? ExpiresAt,
    string? TxRefid)
{
    public bool IsOpen => Status == "open";

    // The client secret mounts one hosted flow: keep it out of logs and traces.
    public override string ToString() => $"GateSession({Id}, {Status})";
}
