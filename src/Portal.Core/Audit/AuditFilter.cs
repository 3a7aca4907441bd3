using Portal.Core.Records;

namespace Portal.Core.Audit;

/// <summary>Which audit entries to read. Times are a half-open range: <c>From ≤ t &lt; To</c>.</summary>
public sealed record AuditFilter
{
    /// <summary>The actor's subject (exact).</summary>
    public string? ActorSubject { get; init; }

    public AuditAction? Action { get; init; }

    public DateTimeOffset? From { get; init; }

    public DateTimeOffset? To { get; init; }

    public string? AttemptId { get; init; }

    public string? RunId { get; init; }
}
