using Microsoft.Extensions.Options;
using Portal.Core.Audit;
using Portal.Core.Gate;
using Portal.Core.Records;

namespace Portal.Core.Admin;

/// <summary>
/// Reads and writes the partner's allowed domains at 0Gate (the source of truth; the portal stores
/// none). Saving validates with the portal's own <see cref="AllowedOrigins"/> rules first and keeps
/// the webhook URL and KYC trust exactly as 0Gate holds them. Every save that reaches 0Gate is audited with the list
/// before and after (or the failure), and 0Gate's request id.
/// </summary>
public sealed class AllowedDomainsService(
    GateClient gate, AuditLog audit, IOptions<GateOptions> options, Checkout.CheckoutPreflight preflight, TimeProvider time, ILogger<AllowedDomainsService> logger)
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

    public async Task<AllowedDomainsSave> SaveAsync(StaffMember staff, IReadOnlyList<string> origins, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        var (normalized, problems) = AllowedOrigins.NormalizeAll(origins, IsLive);
        if (problems.Count > 0)
        {
            return new(null, problems, "Fix the highlighted origins; nothing was saved.");
        }

        IReadOnlyList<string>? before = null;
        try
        {
            // Re-read just before writing so the other partner settings go back exactly as 0Gate has them now.
            var current = (await gate.GetPartnerAsync(cancellationToken)).Value;
            before = current.AllowedDomains;
            var saved = await gate.UpdatePartnerAsync(current with { AllowedDomains = normalized }, cancellationToken);
            preflight.Invalidate(); // checkout starts check the portal's own origin against the list just saved
            logger.LogInformation("Allowed domains updated at 0Gate: {Count} origin(s) (request {RequestId})", saved.Value.AllowedDomains.Count, saved.RequestId);
            var changed = !before.SequenceEqual(saved.Value.AllowedDomains, StringComparer.Ordinal);
            await audit.AppendAsync(new AuditEntry(staff, AuditAction.ChangeAllowedOrigins, null, changed ? AuditResult.Changed : AuditResult.Unchanged,
                Difference(before, saved.Value.AllowedDomains), time.GetUtcNow(), gateRequestId: saved.RequestId,
                before: Lines(before), after: Lines(saved.Value.AllowedDomains)), CancellationToken.None);
            return new(new(saved.Value.AllowedDomains, saved.Value.WebhookUrl, saved.RequestId), new Dictionary<int, string>(), null);
        }
        catch (GateApiException ex)
        {
            logger.LogWarning("Saving the allowed domains at 0Gate failed: {Status} {Code} (request {RequestId})", (int?)ex.Status, ex.Code, ex.RequestId);
            var failure = $"0Gate {(ex.IsTransient ? "unavailable" : "refused")} {ex.Code}".TrimEnd();
            await audit.AppendAsync(new AuditEntry(staff, AuditAction.ChangeAllowedOrigins, null, AuditResult.Failed,
                $"{failure}; nothing changed (asked for {normalized.Count} origin(s))", time.GetUtcNow(), gateRequestId: ex.RequestId,
                before: before is null ? null : Lines(before), after: Lines(normalized)), CancellationToken.None);
            return new(null, new Dictionary<int, string>(), Describe(ex, "save the allowed domains"));
        }
    }

    /// <summary>"added https://a.example · removed https://b.example", or "no change".</summary>
    private static string Difference(IReadOnlyList<string> before, IReadOnlyList<string> after)
    {
        var added = after.Except(before, StringComparer.Ordinal).ToList();
        var removed = before.Except(after, StringComparer.Ordinal).ToList();
        var parts = new List<string>();
        if (added.Count > 0)
        {
            parts.Add("added " + string.Join(", ", added));
        }

        if (removed.Count > 0)
        {
            parts.Add("removed " + string.Join(", ", removed));
        }

        return parts.Count == 0 ? (before.SequenceEqual(after, StringComparer.Ordinal) ? "no change" : "reordered") : string.Join(" · ", parts);
    }

    private static string Lines(IReadOnlyList<string> origins) => origins.Count == 0 ? "(none)" : string.Join("\n", origins);

    private static string Describe(GateApiException ex, string action)
    {
        var reference = ex.RequestId is null ? string.Empty : $" (0Gate request {ex.RequestId})";
        return ex.IsTransient
            ? $"0Gate could not be reached to {action}. Nothing was changed; try again in a moment.{reference}"
            : $"0Gate refused to {action}: {ex.Code ?? "error"}. Nothing was changed.{reference}";
    }
}
