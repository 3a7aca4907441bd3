namespace Portal.Tests.Infrastructure;

/// <summary>One <c>Set-Cookie</c> header, read the way a browser reads its attributes.</summary>
internal sealed record SetCookieHeader(string Name, string Raw, IReadOnlyDictionary<string, string> Attributes)
{
    public bool Secure => Attributes.ContainsKey("secure");

    public bool HttpOnly => Attributes.ContainsKey("httponly");

    public string? Path => Attributes.GetValueOrDefault("path");

    public string? Domain => Attributes.GetValueOrDefault("domain");

    public string? SameSite => Attributes.GetValueOrDefault("samesite");

    public static IReadOnlyList<SetCookieHeader> From(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? [.. values.Select(Parse)] : [];

    public static SetCookieHeader Parse(string header)
    {
        var parts = header.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var attributes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var attribute in parts.Skip(1))
        {
            var equals = attribute.IndexOf('=', StringComparison.Ordinal);
            attributes[(equals < 0 ? attribute : attribute[..equals]).ToLowerInvariant()] = equals < 0 ? "" : attribute[(equals + 1)..];
        }

        return new SetCookieHeader(parts[0].Split('=', 2)[0], header, attributes);
    }

    /// <summary>What a browser requires of a <c>__Host-</c> cookie: Secure, Path=/, no Domain.</summary>
    public void ShouldBeAValidHostPrefixedCookie()
    {
        Name.ShouldStartWith("__Host-", customMessage: Raw);
        Secure.ShouldBeTrue(Raw);
        Path.ShouldBe("/", Raw);
        Domain.ShouldBeNull(Raw);
    }
}
