using System.ComponentModel.DataAnnotations;
using Gate.Sandbox.Partner;
using Microsoft.Extensions.Options;

namespace Gate.Sandbox;

/// <summary>Validates every nested section and names the failing key (e.g. Sandbox:Partner:SecretKey).</summary>
public sealed class SandboxOptionsValidator : IValidateOptions<SandboxOptions>
{
    public ValidateOptionsResult Validate(string? name, SandboxOptions options)
    {
        var failures = new List<string>();
        Check(options, SandboxOptions.SectionName, failures);
        Check(options.Partner, $"{SandboxOptions.SectionName}:Partner", failures);
        Check(options.Quota, $"{SandboxOptions.SectionName}:Quota", failures);
        Check(options.Webhooks, $"{SandboxOptions.SectionName}:Webhooks", failures);
        Check(options.Webhooks.Behavior, $"{SandboxOptions.SectionName}:Webhooks:Behavior", failures);

        for (var i = 0; i < options.Partner.AllowedDomains.Length; i++)
        {
            if (!OriginRules.TryNormalize(options.Partner.AllowedDomains[i], out _, out var problem))
            {
                failures.Add($"{SandboxOptions.SectionName}:Partner:AllowedDomains:{i}: {problem}");
            }
        }

        if (!string.IsNullOrWhiteSpace(options.Partner.WebhookUrl) && !OriginRules.IsHttpUrl(options.Partner.WebhookUrl))
        {
            failures.Add($"{SandboxOptions.SectionName}:Partner:WebhookUrl must be an absolute http(s) URL.");
        }

        var secretLive = options.Partner.SecretKey.StartsWith("sk_live_", StringComparison.Ordinal);
        var publishableLive = options.Partner.PublishableKey.StartsWith("pk_live_", StringComparison.Ordinal);
        if (secretLive != publishableLive)
        {
            failures.Add($"{SandboxOptions.SectionName}:Partner: test and live keys must not be mixed.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(object value, string prefix, List<string> failures)
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(value, new ValidationContext(value), results, validateAllProperties: true))
        {
            failures.AddRange(results.Select(r => $"{prefix}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
        }
    }
}
