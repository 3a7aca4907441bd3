using Microsoft.Extensions.Options;

namespace Portal.Core.Gate;

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
