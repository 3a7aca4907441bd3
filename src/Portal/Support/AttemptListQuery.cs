using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Portal.Core.Attempts;
using Portal.Core.Persistence;
using Portal.Core.Reads;

namespace Portal.Support;

/// <summary>
/// Support's attempt list as a URL query, so a view can be bookmarked, shared, and exported with the same filters:
/// <c>q</c> (start of any id), <c>status</c> (comma-separated wire names), <c>flow</c>, <c>review</c> (yes/no),
/// <c>view</c> (confirming_too_long/abandoned), <c>range</c>/<c>from</c>/<c>to</c> (created, see <see cref="TimeWindow"/>)
/// and <c>sort</c> (created, updated, status or flow; a leading <c>-</c> for descending). The page and the CSV endpoint
/// read it with the same <see cref="Parse"/>.
/// </summary>
public sealed record AttemptListQuery
{
    public static readonly AttemptListQuery Default = new();

    public string? Search { get; init; }

    /// <summary>
    /// A search that cannot be the start of an id (a space, an accented letter, too long), kept as typed so the box
    /// still shows it and the page says why nothing was searched, instead of listing every attempt.
    /// </summary>
    public string? UnreadableSearch { get; init; }

    public IReadOnlyList<AttemptStatus> Statuses { get; init; } = [];

    public CheckoutFlow? Flow { get; init; }

    public bool? NeedsReview { get; init; }

    public StuckView? View { get; init; }

    public TimeWindow Created { get; init; } = TimeWindow.AnyTime;

    public AttemptSort Sort { get; init; } = AttemptSort.NewestFirst;

    public bool IsDefault => this == Default || ToQueryString(includeSort: true).Length == 0;

    public static AttemptListQuery Parse(IEnumerable<KeyValuePair<string, StringValues>> query, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(query);
        var values = query.ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);
        string? One(string key) => values.TryGetValue(key, out var v) && !StringValues.IsNullOrEmpty(v) ? v.ToString() : null;

        var problems = new List<string>();
        var rawSearch = One("q");
        var search = SearchKeys.Normalize(rawSearch, out var searchError);
        string? unreadableSearch = null;
        if (searchError is not null)
        {
            problems.Add(searchError);
            unreadableSearch = rawSearch!.Trim() is { Length: > 2 * SearchKeys.MaxLength } longText ? longText[..(2 * SearchKeys.MaxLength)] : rawSearch.Trim();
        }

        var statuses = new List<AttemptStatus>();
        if (values.TryGetValue("status", out var statusValues))
        {
            foreach (var name in statusValues.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
            {
                if (AttemptStatusNames.TryFromWire(name, out var status))
                {
                    if (!statuses.Contains(status))
                    {
                        statuses.Add(status);
                    }
                }
                else
                {
                    problems.Add($"Unknown status '{TimeWindow.Clip(name)}': use {string.Join(", ", AllStatuses.Select(s => s.ToWire()))}.");
                }
            }
        }

        CheckoutFlow? flow = null;
        if (One("flow") is { } flowText)
        {
            if (CheckoutFlowNames.TryParse(flowText.Trim(), out var parsed))
            {
                flow = parsed;
            }
            else
            {
                problems.Add($"Unknown flow '{TimeWindow.Clip(flowText)}': use on_ramp, off_ramp or swap.");
            }
        }

        bool? review = One("review")?.Trim() switch
        {
            null => null,
            "yes" or "true" or "1" => true,
            "no" or "false" or "0" => false,
            var other => Problem<bool?>(problems, $"'review' must be yes or no, not '{TimeWindow.Clip(other)}'."),
        };

        StuckView? view = One("view")?.Trim() switch
        {
            null => null,
            "confirming_too_long" => StuckView.ConfirmingTooLong,
            "abandoned" => StuckView.Abandoned,
            var other => Problem<StuckView?>(problems, $"Unknown view '{TimeWindow.Clip(other)}': use confirming_too_long or abandoned."),
        };

        var created = TimeWindow.Parse(One("range"), One("from"), One("to"), problems);
        var sort = ParseSort(One("sort"), problems);
        errors = problems;
        return new AttemptListQuery
        {
            Search = search,
            UnreadableSearch = unreadableSearch,
            Statuses = statuses,
            Flow = flow,
            NeedsReview = review,
            View = view,
            Created = created,
            Sort = sort,
        };
    }

    public static AttemptListQuery Parse(Uri uri, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return Parse(QueryHelpers.ParseQuery(uri.Query), out errors);
    }

    public static IReadOnlyList<AttemptStatus> AllStatuses { get; } = Enum.GetValues<AttemptStatus>();

    public AttemptFilter ToFilter(DateTimeOffset now)
    {
        var (from, to) = Created.Resolve(now);
        return new AttemptFilter
        {
            Search = Search,
            Statuses = Statuses,
            Flow = Flow,
            NeedsReview = NeedsReview,
            Stuck = View,
            CreatedFrom = from,
            CreatedTo = to,
        };
    }

    /// <summary>The query string (no leading <c>?</c>) for this list; the default sort is left out.</summary>
    public string ToQueryString(bool includeSort = true)
    {
        var parts = new List<KeyValuePair<string, string>>();
        if ((Search ?? UnreadableSearch) is { } search)
        {
            parts.Add(new("q", search));
        }

        if (Statuses.Count > 0)
        {
            parts.Add(new("status", string.Join(",", Statuses.Select(s => s.ToWire()))));
        }

        if (Flow is { } flow)
        {
            parts.Add(new("flow", flow.ToWire()));
        }

        if (NeedsReview is { } review)
        {
            parts.Add(new("review", review ? "yes" : "no"));
        }

        if (View is { } view)
        {
            parts.Add(new("view", view == StuckView.ConfirmingTooLong ? "confirming_too_long" : "abandoned"));
        }

        parts.AddRange(Created.ToQuery());
        if (includeSort && Sort != AttemptSort.NewestFirst)
        {
            parts.Add(new("sort", SortText(Sort)));
        }

        return string.Join("&", parts.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
    }

    public static string SortText(AttemptSort sort)
    {
        ArgumentNullException.ThrowIfNull(sort);
        var field = sort.Field switch
        {
            AttemptSortField.UpdatedAt => "updated",
            AttemptSortField.Status => "status",
            AttemptSortField.Flow => "flow",
            _ => "created",
        };
        return sort.Descending ? "-" + field : field;
    }

    private static AttemptSort ParseSort(string? text, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return AttemptSort.NewestFirst;
        }

        var trimmed = text.Trim();
        var descending = trimmed.StartsWith('-');
        AttemptSortField? field = trimmed.TrimStart('-') switch
        {
            "created" => AttemptSortField.CreatedAt,
            "updated" => AttemptSortField.UpdatedAt,
            "status" => AttemptSortField.Status,
            "flow" => AttemptSortField.Flow,
            _ => null,
        };
        if (field is null)
        {
            problems.Add($"Unknown sort '{TimeWindow.Clip(trimmed)}': use created, updated, status or flow (a leading - for descending).");
            return AttemptSort.NewestFirst;
        }

        return new AttemptSort(field.Value, descending);
    }

    private static T Problem<T>(List<string> problems, string message)
    {
        problems.Add(message);
        return default!;
    }
}
