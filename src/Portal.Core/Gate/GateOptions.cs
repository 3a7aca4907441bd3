using System.ComponentModel.DataAnnotations;

namespace Portal.Core.Gate;

/// <summary>How the portal reaches 0Gate (or the sandbox). Section <c>Gate</c>.</summary>
public sealed class GateOptions
{
    public const string Section = "Gate";

    /// <summary>Checked by <see cref="GateOptionsValidator"/> (absolute http(s)), which also names a missing value.</summary>
    public Uri ApiBaseUrl { get; set; } = null!;

    public Uri HostedBaseUrl { get; set; } = null!;

    /// <summary><c>sk_test_…</c> or <c>sk_live_…</c>. Server only: never logged, rendered or put in a URL.</summary>
    public string SecretKey { get; set; } = string.Empty;

    /// <summary><c>pk_test_…</c> or <c>pk_live_…</c>. Browser-safe.</summary>
    public string PublishableKey { get; set; } = string.Empty;

    /// <summary>The first is current; the rest are accepted while a rotation is under way.</summary>
    public string[] WebhookSecrets { get; set; } = [];

    [Range(1, 3600, ErrorMessage = "Gate:SignatureToleranceSeconds must be between 1 and 3600.")]
    public int SignatureToleranceSeconds { get; set; } = 300;

    /// <summary><c>test</c> or <c>live</c>, from the secret key.</summary>
    public string Environment => SecretKey.StartsWith("sk_live_", StringComparison.Ordinal) ? "live" : "test";

    /// <summary>The hosted page's origin, e.g. <c>https://gate.0bit.app</c> (for CSP and postMessage checks).</summary>
    public string HostedOrigin => HostedBaseUrl.GetLeftPart(UriPartial.Authority);

    // Secrets stay out of any accidental string formatting (logs, exception messages).
    public override string ToString() => $"Gate(api={ApiBaseUrl}, hosted={HostedBaseUrl}, env={Environment})";
}
