using Microsoft.Extensions.Options;
using Portal.Core.Gate;

namespace Portal.Core.Admin;

/// <summary>What the allowed-domains screen shows: 0Gate's partner settings as they are now.</summary>
public sealed record AllowedDomainsSettings(IReadOnlyList<string> Origins, string? WebhookUrl, string? RequestId);

public sealed record AllowedDomainsLoad(AllowedDomainsSettings? Settings, string? Problem);

public sealed record AllowedDomainsSave(AllowedDomainsSettings? Saved, IReadOnlyDictionary<int, string> Problems, string? Problem)
{
    public bool Succeeded => Saved is not null;
}

/// <summary>
/// Reads and writes the partner's allowed domains at 0Gate (the source of truth; the portal stores
/// none). Saving validates with the portal's own <see cref="AllowedOrigins"/> rules first and keeps
/// the webhook URL and KYC trust exactly as 0Gate holds them.
/// </summary>
public sealed class AllowedDomainsService(
    GateClient gate, IOptions<GateOptions> options, Checkout.CheckoutPreflight preflight, ILogger<AllowedDomainsService> logger)
{
    /// <summary>Live mode requires https for every origin except localhost.</summary>
    public bool IsLive => options.Value.Environment == "live";

    public async Task<AllowedDomainsLoad> LoadAsync(CancellationToken cancellationToken)
    {
        try
        {
            var partner = await gate.GetPartnerAsync(cancellationToken);
            return new(new(partner.Value.AllowedDomains, partner.Value.WebhookUrl, partner.RequestId), null);
        }
        catch (GateApiException ex)
        {
            logger.LogWarning("Reading the 0Gate partner settings failed: {Status} {Code} (request {RequestId})", (int?)ex.Status, ex.Code, ex.RequestId);
            return new(null, Describe(ex, "read the allowed domains"));
        }
    }

    public async Task<AllowedDomainsSave> SaveAsync(IReadOnlyList<string> origins, CancellationToken cancellationToken)
    {
        var (normalized, problems) = AllowedOrigins.NormalizeAll(origins, IsLive);
        if (problems.Count > 0)
        {
            return new(null, problems, "Fix the highlighted origins; nothing was saved.");
        }

        try
        {
            // Re-read just before writing so the other partner settings go back exactly as 0Gate has them now.
            var current = (await gate.GetPartnerAsync(cancellationToken)).Value;
            var saved = await gate.UpdatePartnerAsync(current with { AllowedDomains = normalized }, cancellationToken);
            preflight.Invalidate(); // checkout starts check the portal's own origin against the list just saved
            logger.LogInformation("Allowed domains updated at 0Gate: {Count} origin(s) (request {RequestId})", saved.Value.AllowedDomains.Count, saved.RequestId);
            return new(new(saved.Value.AllowedDomains, saved.Value.WebhookUrl, saved.RequestId), new Dictionary<int, string>(), null);
        }
        catch (GateApiException ex)
        {
            logger.LogWarning("Saving the allowed domains at 0Gate failed: {Status} {Code} (request {RequestId})", (int?)ex.Status, ex.Code, ex.RequestId);
            return new(null, new Dictionary<int, string>(), Describe(ex, "save the allowed domains"));
        }
    }

    private static string Describe(GateApiException ex, string action)
    {
        var reference = ex.RequestId is null ? string.Empty : $" (0Gate request {ex.RequestId})";
        return ex.IsTransient
            ? $"0Gate could not be reached to {action}. Nothing was changed; try again in a moment.{reference}"
            : $"0Gate refused to {action}: {ex.Code ?? "error"}. Nothing was changed.{reference}";
    }
}
