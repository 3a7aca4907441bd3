using Microsoft.Extensions.Options;
using Portal.Core.Gate;

namespace Portal.Hosting;

/// <summary>The header values, computed once from the 0Gate hosted origin (the only other origin the portal embeds).</summary>
public sealed class SecurityHeaders(IOptions<GateOptions> gate)
{
    /// <summary>
    /// The origin, never the path, goes to other sites. Not <c>no-referrer</c>: the hosted 0Gate page falls back to
    /// <c>document.referrer</c> to learn the embedding origin where <c>location.ancestorOrigins</c> is missing.
    /// </summary>
    public const string ReferrerPolicy = "strict-origin-when-cross-origin";

    /// <summary>
    /// Features the portal never uses are switched off for it and every frame. Payment and camera (identity
    /// verification) stay available to the portal and the 0Gate hosted page, which the iframe delegates them to.
    /// </summary>
    private static readonly string[] DeniedFeatures =
    [
        "accelerometer", "autoplay", "display-capture", "geolocation", "gyroscope", "hid", "idle-detection",
        "magnetometer", "microphone", "midi", "serial", "usb", "xr-spatial-tracking",
    ];

    private readonly Lazy<(string ContentSecurityPolicy, string PermissionsPolicy)> _values = new(() => Compute(gate.Value.HostedOrigin));

    /// <summary>
    /// Frames come only from the 0Gate hosted origin, and nobody but the portal may frame it; no plugins. <c>base-uri</c>
    /// is <c>'self'</c>, not <c>'none'</c>: Blazor needs <c>&lt;base href="/"&gt;</c> (see docs/operations.md). Scripts and
    /// styles are left to Blazor's defaults.
    /// </summary>
    public string ContentSecurityPolicy => _values.Value.ContentSecurityPolicy;

    public string PermissionsPolicy => _values.Value.PermissionsPolicy;

    public void ApplyTo(IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers["Permissions-Policy"] = PermissionsPolicy;
        headers["Referrer-Policy"] = ReferrerPolicy;
        headers.XContentTypeOptions = "nosniff";
    }

    private static (string, string) Compute(string hostedOrigin)
    {
        var csp = $"{EmbeddingPolicy.FrameSrc(hostedOrigin)}; frame-ancestors 'self'; object-src 'none'; base-uri 'self'";
        var delegated = $"(self \"{hostedOrigin}\")";
        var permissions = string.Join(", ", DeniedFeatures.Select(feature => feature + "=()").Concat([$"camera={delegated}", $"payment={delegated}"]));
        return (csp, permissions);
    }
}
