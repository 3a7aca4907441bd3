using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

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

/// <summary>Start-up validation with messages that name the configuration key at fault.</summary>
public sealed class GateOptionsValidator : IValidateOptions<GateOptions>
{
    public ValidateOptionsResult Validate(string? name, GateOptions options)
    {
        var failures = new List<string>();

        if (options.ApiBaseUrl is not { IsAbsoluteUri: true } api || api.Scheme is not ("http" or "https"))
        {
            failures.Add("Gate:ApiBaseUrl is required and must be an absolute http(s) URL (the 0Gate API origin).");
        }

        if (options.HostedBaseUrl is not { IsAbsoluteUri: true } hosted || hosted.Scheme is not ("http" or "https"))
        {
            failures.Add("Gate:HostedBaseUrl is required and must be an absolute http(s) URL (the 0Gate hosted-page origin).");
        }

        var secretMode = KeyMode(options.SecretKey, "sk_");
        var publishableMode = KeyMode(options.PublishableKey, "pk_");
        if (secretMode is null)
        {
            failures.Add("Gate:SecretKey is required and must start with sk_test_ or sk_live_.");
        }

        if (publishableMode is null)
        {
            failures.Add("Gate:PublishableKey is required and must start with pk_test_ or pk_live_.");
        }

        if (secretMode is not null && publishableMode is not null && secretMode != publishableMode)
        {
            failures.Add($"Gate:SecretKey is a {secretMode} key but Gate:PublishableKey is a {publishableMode} key: test and live keys must not be mixed.");
        }

        if (options.WebhookSecrets.Length == 0)
        {
            failures.Add("Gate:WebhookSecrets needs at least one whsec_… secret.");
        }

        for (var i = 0; i < options.WebhookSecrets.Length; i++)
        {
            if (!options.WebhookSecrets[i].StartsWith("whsec_", StringComparison.Ordinal) || options.WebhookSecrets[i].Length <= "whsec_".Length)
            {
                failures.Add($"Gate:WebhookSecrets:{i} must start with whsec_.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string? KeyMode(string key, string prefix)
    {
        if (key.StartsWith(prefix + "test_", StringComparison.Ordinal) && key.Length > prefix.Length + 5)
        {
            return "test";
        }

        return key.StartsWith(prefix + "live_", StringComparison.Ordinal) && key.Length > prefix.Length + 5 ? "live" : null;
    }
}
