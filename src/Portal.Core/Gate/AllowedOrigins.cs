namespace Portal.Core.Gate;

/// <summary>
/// The portal's own rules for an allowed domain (0Gate checks again on its side): an exact origin
/// <c>scheme://host[:port]</c>, http or https, no path, query, fragment, wildcard or credentials,
/// normalized to lower case without a default port. In live mode only localhost may use plain http.
/// </summary>
public static class AllowedOrigins
{
    public const int MaxLength = 253 + 16;

    public static bool TryNormalize(string? value, bool live, out string origin, out string problem)
    {
        origin = string.Empty;
        var input = value?.Trim() ?? string.Empty;
        if (input.Length == 0)
        {
            problem = "Enter an origin such as https://shop.example.com.";
            return false;
        }

        if (input.Length > MaxLength)
        {
            problem = "That is too long to be an origin.";
            return false;
        }

        if (input.Contains('*', StringComparison.Ordinal))
        {
            problem = $"'{input}' contains a wildcard. Allowed domains are exact origins: list each one.";
            return false;
        }

        if (input.Any(char.IsWhiteSpace) || input.Contains('\\', StringComparison.Ordinal))
        {
            problem = $"'{input}' contains spaces or backslashes.";
            return false;
        }

        var schemeEnd = input.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
        {
            problem = $"'{input}' needs a scheme: start with https:// (or http:// for local testing).";
            return false;
        }

        var scheme = input[..schemeEnd].ToLowerInvariant();
        if (scheme is not ("http" or "https"))
        {
            problem = $"'{input}' uses {scheme}://; only http and https origins can embed the checkout.";
            return false;
        }

        var authority = input[(schemeEnd + 3)..];
        var cut = authority.IndexOfAny(['/', '?', '#']);
        if (cut >= 0)
        {
            // A bare trailing slash is how browsers print an origin; anything after it is a path, query or fragment.
            if (authority[cut..] != "/")
            {
                problem = $"'{input}' has a path, query or fragment. Use only scheme://host[:port].";
                return false;
            }

            authority = authority[..cut];
        }

        if (authority.Contains('@', StringComparison.Ordinal))
        {
            problem = $"'{input}' contains a user name or password. Use only scheme://host[:port].";
            return false;
        }

        if (authority.Length == 0 || !Uri.TryCreate($"{scheme}://{authority}/", UriKind.Absolute, out var uri) || uri.Host.Length == 0
            || uri.HostNameType is UriHostNameType.Unknown or UriHostNameType.Basic)
        {
            problem = $"'{input}' does not have a valid host name.";
            return false;
        }

        if (authority.EndsWith(':'))
        {
            problem = $"'{input}' has an empty port.";
            return false;
        }

        if (live && scheme == "http" && !IsLoopback(uri))
        {
            problem = $"'{input}' must use https: in live mode only localhost may use http.";
            return false;
        }

        var host = uri.HostNameType == UriHostNameType.Dns ? uri.IdnHost.ToLowerInvariant() : uri.Host.ToLowerInvariant();
        origin = uri.IsDefaultPort ? $"{scheme}://{host}" : $"{scheme}://{host}:{uri.Port}";
        problem = string.Empty;
        return true;
    }

    /// <summary>
    /// Validates a whole list: every entry normalized, no duplicates after normalization. Problems are
    /// keyed by the entry's index.
    /// </summary>
    public static (IReadOnlyList<string> Origins, IReadOnlyDictionary<int, string> Problems) NormalizeAll(IEnumerable<string?> values, bool live)
    {
        var origins = new List<string>();
        var problems = new Dictionary<int, string>();
        var index = 0;
        foreach (var value in values)
        {
            if (!TryNormalize(value, live, out var origin, out var problem))
            {
                problems[index] = problem;
            }
            else if (origins.Contains(origin, StringComparer.Ordinal))
            {
                problems[index] = $"{origin} is already in the list.";
            }
            else
            {
                origins.Add(origin);
            }

            index++;
        }

        return (origins, problems);
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase);
}
