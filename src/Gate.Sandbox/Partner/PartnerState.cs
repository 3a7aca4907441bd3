using Microsoft.Extensions.Options;

namespace Gate.Sandbox.Partner;

public sealed record PartnerSettings(IReadOnlyList<string> AllowedDomains, string? WebhookUrl, bool KycTrusted);

/// <summary>
/// The one sandbox partner. Keys come from configuration; the writable settings start from
/// configuration and live in memory (PUT /v1/partner changes them until the next start).
/// </summary>
public sealed class PartnerState(IOptions<SandboxOptions> options)
{
    private readonly Lock _lock = new();
    private PartnerSettings _settings = new(
        options.Value.Partner.AllowedDomains.Select(d => OriginRules.TryNormalize(d, out var o, out _) ? o : d).ToArray(),
        string.IsNullOrWhiteSpace(options.Value.Partner.WebhookUrl) ? null : options.Value.Partner.WebhookUrl,
        options.Value.Partner.KycTrusted);

    public string Id => options.Value.Partner.Id;
    public string SecretKey => options.Value.Partner.SecretKey;
    public string PublishableKey => options.Value.Partner.PublishableKey;
    public string WebhookSecret => options.Value.Partner.WebhookSecret;
    public bool LiveMode => SecretKey.StartsWith("sk_live_", StringComparison.Ordinal);

    public PartnerSettings Settings
    {
        get
        {
            lock (_lock)
            {
                return _settings;
            }
        }
    }

    public PartnerSettings Update(Func<PartnerSettings, PartnerSettings> change)
    {
        lock (_lock)
        {
            _settings = change(_settings);
            return _settings;
        }
    }
}
