using System.Linq.Expressions;
using System.Reflection;

namespace Portal.Core.Persistence;

/// <summary>
/// Case-insensitive prefix search over ids that an index can serve. <see cref="Fold"/> is a store function: each
/// provider translates it to an expression it has an index on (SQLite <c>lower(x)</c>, PostgreSQL
/// <c>lower(x) COLLATE "C"</c>, both compared byte by byte), and a prefix becomes the range
/// <c>fold(x) &gt;= prefix AND fold(x) &lt; next(prefix)</c>: an index range scan, never a scan of the table
/// (which <c>LIKE '%…'</c>, <c>ILIKE</c> or a parameterised <c>LIKE</c> would be on one provider or the other).
/// </summary>
public static class SearchKeys
{
    /// <summary>Longest search term accepted.</summary>
    public const int MaxLength = 200;

    internal static readonly MethodInfo FoldMethod = typeof(SearchKeys).GetMethod(nameof(Fold))!;

    private static readonly MethodInfo CompareMethod = typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!;

    /// <summary>The lower-cased value as the store compares it. Only meaningful inside a query.</summary>
    public static string Fold(string? value) =>
        throw new InvalidOperationException($"{nameof(SearchKeys)}.{nameof(Fold)} is translated by the store; call it inside a query only.");

    /// <summary>
    /// Trims a search term and checks it is something an id can start with: visible ASCII, no spaces, at most
    /// <see cref="MaxLength"/> characters. Null (and no error) for a blank term.
    /// </summary>
    public static string? Normalize(string? raw, out string? error)
    {
        error = null;
        var term = raw?.Trim();
        if (string.IsNullOrEmpty(term))
        {
            return null;
        }

        if (term.Length > MaxLength)
        {
            error = $"Search for at most {MaxLength} characters: the start of an id.";
            return null;
        }

        if (term.Any(c => c is < '!' or > '~'))
        {
            error = "Ids have no spaces or accented characters: paste the start of an attempt, session, transaction, event or account id.";
            return null;
        }

        return term;
    }

    /// <summary>Rows whose <paramref name="column"/> starts with <paramref name="prefix"/> (a <see cref="Normalize"/>d term), ignoring case.</summary>
    public static Expression<Func<T, bool>> StartsWith<T>(Expression<Func<T, string?>> column, string prefix)
    {
        ArgumentNullException.ThrowIfNull(column);
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        var from = prefix.ToLowerInvariant();

        // Every string starting with the prefix sorts before the prefix with its last character incremented (visible
        // ASCII only, so the increment stays one byte).
        var bounds = new Bounds(from, from[..^1] + (char)(from[^1] + 1));
        var folded = Expression.Call(FoldMethod, column.Body);
        var holder = Expression.Constant(bounds); // a closure-like holder: the store receives parameters, not literals
        var atLeastFrom = Expression.GreaterThanOrEqual(
            Expression.Call(CompareMethod, folded, Expression.Property(holder, nameof(Bounds.From))), Expression.Constant(0));
        var belowTo = Expression.LessThan(
            Expression.Call(CompareMethod, folded, Expression.Property(holder, nameof(Bounds.To))), Expression.Constant(0));
        return Expression.Lambda<Func<T, bool>>(Expression.AndAlso(atLeastFrom, belowTo), column.Parameters);
    }

    /// <summary>The folded column, to order by: the order its folded index holds.</summary>
    public static Expression<Func<T, string>> Folded<T>(Expression<Func<T, string?>> column)
    {
        ArgumentNullException.ThrowIfNull(column);
        return Expression.Lambda<Func<T, string>>(Expression.Call(FoldMethod, column.Body), column.Parameters);
    }

    private sealed record Bounds(string From, string To);
}
