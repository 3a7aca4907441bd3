using System.Text.Json.Serialization;
using Gate.Sandbox.Api;
using Gate.Sandbox.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gate.Sandbox.Partner;

public sealed record QuotaView(int Limit, int Used, int WarningAt);

public sealed record PartnerView(string Id, [property: JsonPropertyName("object")] string ObjectType, bool Livemode, IReadOnlyList<string> AllowedDomains, string? WebhookUrl, bool KycTrusted, QuotaView Quota);

/// <summary>Partial update: omitted (or null) fields keep their value; <c>webhook_url: ""</c> clears it.</summary>
public sealed record UpdatePartnerRequest(IReadOnlyList<string>? AllowedDomains, string? WebhookUrl, bool? KycTrusted);

public static class PartnerEndpoints
{
    public static IEndpointRouteBuilder MapPartnerEndpoints(this IEndpointRouteBuilder routes)
    {
        var partner = routes.MapGroup("/v1/partner").RequireApiKey(KeyKinds.Secret);
        partner.MapGet("/", GetPartner);
        partner.MapPut("/", UpdatePartner);
        return routes;
    }

    public static async Task<Ok<PartnerView>> GetPartner(PartnerState partner, QuotaTracker quota, SandboxStore store, CancellationToken ct) =>
        TypedResults.Ok(await ViewAsync(partner, quota, store, ct));

    public static async Task<Results<Ok<PartnerView>, JsonHttpResult<ErrorEnvelope>>> UpdatePartner(
        UpdatePartnerRequest request, PartnerState partner, QuotaTracker quota, SandboxStore store, HttpContext context, CancellationToken ct)
    {
        List<string>? origins = null;
        if (request.AllowedDomains is not null)
        {
            origins = [];
            foreach (var domain in request.AllowedDomains)
            {
                if (!OriginRules.TryNormalize(domain, out var origin, out var problem))
                {
                    return ApiError.Invalid(context, "allowed_domain_invalid", problem);
                }

                if (!origins.Contains(origin))
                {
                    origins.Add(origin);
                }
            }
        }

        if (!string.IsNullOrEmpty(request.WebhookUrl) && !OriginRules.IsHttpUrl(request.WebhookUrl))
        {
            return ApiError.Invalid(context, "url_invalid", "'webhook_url' must be an absolute http(s) URL.");
        }

        partner.Update(s => new PartnerSettings(
            origins ?? s.AllowedDomains,
            request.WebhookUrl is null ? s.WebhookUrl : request.WebhookUrl.Length == 0 ? null : request.WebhookUrl,
            request.KycTrusted ?? s.KycTrusted));
        return TypedResults.Ok(await ViewAsync(partner, quota, store, ct));
    }

    private static async Task<PartnerView> ViewAsync(PartnerState partner, QuotaTracker quota, SandboxStore store, CancellationToken ct)
    {
        var used = await store.RunAsync(db => quota.UsedAsync(db, ct), ct);
        var s = partner.Settings;
        return new PartnerView(partner.Id, "partner", partner.LiveMode, s.AllowedDomains, s.WebhookUrl, s.KycTrusted, new QuotaView(quota.Limit, used, quota.WarningAt));
    }
}
