using Gate.Sandbox.Api;
using Gate.Sandbox.Partner;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gate.Sandbox.Capabilities;

public sealed record DisabledCapabilitiesRequest(
    IReadOnlyList<string>? Flows,
    IReadOnlyList<string>? Currencies,
    IReadOnlyList<string>? Tokens,
    IReadOnlyList<string>? Networks);

public static class CapabilitiesEndpoints
{
    public static IEndpointRouteBuilder MapCapabilitiesEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/capabilities", GetCapabilities).RequireApiKey(KeyKinds.Secret | KeyKinds.Publishable);
        routes.MapGet("/v1/sandbox/capabilities", GetDisabled).RequireApiKey(KeyKinds.Secret);
        routes.MapPut("/v1/sandbox/capabilities", PutDisabled).RequireApiKey(KeyKinds.Secret);
        return routes;
    }

    public static Ok<CapabilitiesResponse> GetCapabilities(CapabilityCatalog catalog, PartnerState partner) =>
        TypedResults.Ok(catalog.Current(partner.LiveMode));

    public static Ok<DisabledCapabilities> GetDisabled(CapabilityCatalog catalog) => TypedResults.Ok(catalog.Disabled);

    /// <summary>Replaces the disabled lists given (omitted lists stay as they are).</summary>
    public static Ok<DisabledCapabilities> PutDisabled(DisabledCapabilitiesRequest request, CapabilityCatalog catalog)
    {
        var current = catalog.Disabled;
        catalog.Disabled = new DisabledCapabilities(
            request.Flows ?? current.Flows,
            request.Currencies ?? current.Currencies,
            request.Tokens ?? current.Tokens,
            request.Networks ?? current.Networks);
        return TypedResults.Ok(catalog.Disabled);
    }
}
