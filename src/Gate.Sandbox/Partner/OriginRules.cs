namespace Gate.Sandbox.Partner;

/// <summary>Allowed domains are exact origins: scheme, host and optional port; no path, no wildcard.</summary>
public static class OriginRules
{
    public static bool TryNormalize(string? value, out string origin, out string problem)
    {
        origin = "";
        if (string.IsNullOrWhiteSpace(value))
        {
            problem = "an allowed domain must not be empty";
            return false;
        }

        if (value.Contains('*', StringComparison.Ordinal))
        {
            problem = $"'{value}' contains a wildcard; allowed domains are exact origins";
            return false;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            problem = $"'{value}' is not an absolute http(s) origin such as https://shop.example.com";
            return false;
        }

        var authorityEnd = value.IndexOf("//", StringComparison.Ordinal) + 2;
        var rest = value[authorityEnd..];
        if (uri.UserInfo.Length > 0 || rest.IndexOfAny(['/', '?', '#']) is var cut && cut >= 0 && rest[cut..] != "/")
        {
            problem = $"'{value}' has a path, query or credentials; use only scheme://host[:port]";
            return false;
        }

        origin = uri.GetLeftPart(UriPartial.Authority);
        problem = "";
        return true;
    }

    public static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && !string.IsNullOrEmpty(uri.Host);
}
