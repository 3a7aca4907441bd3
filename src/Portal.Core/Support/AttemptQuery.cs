using Portal.Core.Checkout;

namespace Portal.Core.Support;

/// <summary>Which id a support search matched.</summary>
public enum SearchMatch
{
    AttemptId,
    GateSessionId,
    TxRefId,
    EventId,
    AccountId,

    /// <summary>The receipt's wallet (a buy's destination, a swap's wallet).</summary>
    WalletAddress,

    /// <summary>The receipt's on-chain transaction hash.</summary>
    TransactionHash,

    /// <summary>The receipt's local-rail transaction id (PIX, SPEI, PSE).</summary>
    LocalRailTransactionId,
}

/// <summary>Attempts that are not moving: the sweeper's two lists, as a filter.</summary>
public enum StuckView
{
    /// <summary><c>processing</c> and unchanged for longer than <see cref="SweeperOptions.ConfirmingTooLongAfter"/>.</summary>
    ConfirmingTooLong,

    /// <summary>Waiting for the customer for longer than <see cref="SweeperOptions.AbandonedAfter"/>.</summary>
    Abandoned,
}

public enum AttemptSortField
{
    CreatedAt,
    UpdatedAt,
    Status,
    Flow,
}

public sealed record AttemptSort(AttemptSortField Field = AttemptSortField.CreatedAt, bool Descending = true)
{
    public static readonly AttemptSort NewestFirst = new();
}

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

/// <summary>One row of the list, and which id the search matched (when searching); the export also carries the receipt.</summary>
public sealed record AttemptRow(CheckoutAttempt Attempt, SearchMatch? MatchedOn, AttemptReceipt? Receipt = null);

/// <param name="SearchTruncated">The search prefix matched more ids of one kind than a search takes: type more of the id.</param>
public sealed record AttemptPage(IReadOnlyList<AttemptRow> Rows, int Total, bool SearchTruncated);

public sealed record AttemptMatch(CheckoutAttempt Attempt, SearchMatch MatchedOn);
