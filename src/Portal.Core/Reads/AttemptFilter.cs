using Portal.Core.Attempts;

namespace Portal.Core.Reads;

/// <summary>
/// Support's list filter. Every part is optional and they combine (AND). Created times are a half-open range:
/// <c>CreatedFrom ≤ created &lt; CreatedTo</c>. <see cref="Search"/> is a case-insensitive prefix of any id kind.
/// </summary>
public sealed record AttemptFilter
{
    public static readonly AttemptFilter All = new();

    public IReadOnlyCollection<AttemptStatus> Statuses { get; init; } = [];

    public CheckoutFlow? Flow { get; init; }

    public bool? NeedsReview { get; init; }

    public DateTimeOffset? CreatedFrom { get; init; }

    public DateTimeOffset? CreatedTo { get; init; }

    public StuckView? Stuck { get; init; }

    /// <summary>The start of an attempt, 0Gate session, tx refid, event or customer account id (see <see cref="Persistence.SearchKeys.Normalize"/>).</summary>
    public string? Search { get; init; }
}
