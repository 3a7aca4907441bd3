namespace Portal.Core.Gate;

/// <summary>
/// The two content-security-policy directives that decide whether the hosted checkout shows inside the portal: 0Gate's
/// hosted page sends <c>frame-ancestors</c> with the partner's allowed domains (who may frame it), and the portal
/// sends <c>frame-src</c> with the hosted origin (what it may frame). Both must agree or the browser shows
/// "&lt;host&gt; refused to connect" where the checkout should be.
/// </summary>
public static class EmbeddingPolicy
{
    /// <summary>What 0Gate's hosted page will send for this list of allowed domains (<c>'none'</c> when it is empty).</summary>
    public static string FrameAncestors(IEnumerable<string> allowedOrigins)
    {
        ArgumentNullException.ThrowIfNull(allowedOrigins);
        var origins = allowedOrigins.ToList();
        return "frame-ancestors " + (origins.Count == 0 ? "'none'" : string.Join(' ', origins));
    }

    /// <summary>The portal's own directive: it frames nothing but the 0Gate hosted origin.</summary>
    public static string FrameSrc(string hostedOrigin) => "frame-src " + hostedOrigin;

    /// <summary>
    /// The origin customers reach the portal at, as the hosted page will see it in <c>frame-ancestors</c> terms, from an
    /// absolute URL of the portal (the page's base URI); null when it is not an http(s) origin the rules accept.
    /// </summary>
    public static string? OwnOrigin(string? portalUrl) =>
        Uri.TryCreate(portalUrl, UriKind.Absolute, out var uri)
        && AllowedOrigins.TryNormalize(uri.GetLeftPart(UriPartial.Authority), live: false, out var origin, out _)
            ? origin
            : null;
}
