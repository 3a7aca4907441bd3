namespace Portal.Core.Admin;

/// <summary>What a developer tool did: the event it concerns and 0Gate's request id, or why nothing happened.</summary>
public sealed record DeveloperToolResult(bool Succeeded, string Message, string? EventId = null, string? RequestId = null)
{
    public static DeveloperToolResult Refused(string message) => new(false, message);
}
