using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Portal.Core.Audit;

namespace Portal.Support;

/// <summary>
/// The admin audit log as a URL query: <c>actor</c> (subject), <c>action</c> (reconcile, cancel_session,
/// resolve_review, bulk_reconcile) and <c>range</c>/<c>from</c>/<c>to</c> (see <see cref="TimeWindow"/>). Shared by
/// the page and the CSV endpoint.
/// </summary>
public sealed record AuditListQuery
{
    public string? Actor { get; init; }

    public AuditAction? Action { get; init; }

    public TimeWindow Window { get; init; } = TimeWindow.AnyTime;

    public static IReadOnlyList<AuditAction> AllActions { get; } = Enum.GetValues<AuditAction>();

    public static string Wire(AuditAction action) => action switch
    {
        AuditAction.CancelSession => "cancel_session",
        AuditAction.ResolveReview => "resolve_review",
        AuditAction.BulkReconcile => "bulk_reconcile",
        _ => "reconcile",
    };

    public static string Wire(AuditResult result) => result.ToString().ToLowerInvariant();

    public static AuditListQuery Parse(IEnumerable<KeyValuePair<string, StringValues>> query, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(query);
        var values = query.ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        string? One(string key) => values.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

        var problems = new List<string>();
        var actor = One("actor");
        if (actor is { Length: > 200 })
        {
            problems.Add("'actor' is a subject of at most 200 characters.");
            actor = null;
        }

        AuditAction? action = null;
        if (One("action") is { } actionText)
        {
            action = AllActions.Cast<AuditAction?>().FirstOrDefault(a => Wire(a!.Value) == actionText);
            if (action is null)
            {
                problems.Add($"Unknown action '{TimeWindow.Clip(actionText)}': use {string.Join(", ", AllActions.Select(Wire))}.");
            }
        }

        var window = TimeWindow.Parse(One("range"), One("from"), One("to"), problems);
        errors = problems;
        return new AuditListQuery { Actor = actor, Action = action, Window = window };
    }

    public static AuditListQuery Parse(Uri uri, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return Parse(QueryHelpers.ParseQuery(uri.Query), out errors);
    }

    public AuditFilter ToFilter(DateTimeOffset now)
    {
        var (from, to) = Window.Resolve(now);
        return new AuditFilter { ActorSubject = Actor, Action = Action, From = from, To = to };
    }

    public string ToQueryString()
    {
        var parts = new List<KeyValuePair<string, string>>();
        if (Actor is not null)
        {
            parts.Add(new("actor", Actor));
        }

        if (Action is { } action)
        {
            parts.Add(new("action", Wire(action)));
        }

        parts.AddRange(Window.ToQuery());
        return string.Join("&", parts.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
    }
}
