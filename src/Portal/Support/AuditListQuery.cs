using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Portal.Core.Audit;
using Portal.Core.Records;

namespace Portal.Support;

/// <summary>
/// The admin audit log as a URL query: <c>actor</c> (subject), <c>action</c> (the snake_case name of an
/// <see cref="AuditAction"/>), <c>attempt</c> (an attempt id), <c>run</c> (a bulk run id) and
/// <c>range</c>/<c>from</c>/<c>to</c> (see <see cref="TimeWindow"/>). Shared by the page and the CSV endpoint.
/// </summary>
public sealed record AuditListQuery
{
    public string? Actor { get; init; }

    public AuditAction? Action { get; init; }

    public string? AttemptId { get; init; }

    /// <summary>A bulk run (<c>bulk_…</c>): its own entry and each attempt it changed.</summary>
    public string? RunId { get; init; }

    public TimeWindow Window { get; init; } = TimeWindow.AnyTime;

    public static IReadOnlyList<AuditAction> AllActions { get; } = Enum.GetValues<AuditAction>();

    /// <summary>The stored name: <c>reconcile</c>, <c>cancel_session</c>, <c>change_allowed_origins</c>, ….</summary>
    public static string Wire(AuditAction action) =>
        string.Concat(action.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    public static string Wire(AuditResult result) => result.ToString().ToLowerInvariant();

    /// <summary>A bulk run id as <see cref="Core.StaffActions.BulkReconciler"/> makes them: <c>bulk_</c> and letters or digits.</summary>
    public static bool IsRunId(string? value) =>
        value is { Length: > 5 and <= 40 } && value.StartsWith("bulk_", StringComparison.Ordinal) && value.Skip(5).All(char.IsAsciiLetterOrDigit);

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

        var attempt = One("attempt");
        if (attempt is not null && !Core.Attempts.AttemptId.IsWellFormed(attempt))
        {
            problems.Add($"'{TimeWindow.Clip(attempt)}' is not an attempt id (att_…).");
            attempt = null;
        }

        var run = One("run");
        if (run is not null && !IsRunId(run))
        {
            problems.Add($"'{TimeWindow.Clip(run)}' is not a bulk run id (bulk_…).");
            run = null;
        }

        var window = TimeWindow.Parse(One("range"), One("from"), One("to"), problems);
        errors = problems;
        return new AuditListQuery { Actor = actor, Action = action, AttemptId = attempt, RunId = run, Window = window };
    }

    public static AuditListQuery Parse(Uri uri, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return Parse(QueryHelpers.ParseQuery(uri.Query), out errors);
    }

    public AuditFilter ToFilter(DateTimeOffset now)
    {
        var (from, to) = Window.Resolve(now);
        return new AuditFilter { ActorSubject = Actor, Action = Action, AttemptId = AttemptId, RunId = RunId, From = from, To = to };
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

        if (AttemptId is not null)
        {
            parts.Add(new("attempt", AttemptId));
        }

        if (RunId is not null)
        {
            parts.Add(new("run", RunId));
        }

        parts.AddRange(Window.ToQuery());
        return string.Join("&", parts.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
    }
}
