using System.Security.Claims;

namespace Portal.Auth;

/// <summary>What the portal needs to know about the signed-in person, read from the provider's claims.</summary>
public static class CurrentUser
{
    public const string SubjectClaim = "sub";
    public const string NameClaim = "name";

    /// <summary>The customer's account id: the provider's stable subject (<c>sub</c>); null when anonymous.</summary>
    public static string? GetAccountId(this ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true ? user.FindFirst(SubjectClaim)?.Value : null;

    /// <summary>Support agents and admins may read every attempt.</summary>
    public static bool IsStaff(this ClaimsPrincipal user) =>
        user.IsInRole(PortalRoles.Support) || user.IsInRole(PortalRoles.Admin);

    public static bool IsCustomer(this ClaimsPrincipal user) => user.IsInRole(PortalRoles.Customer);

    public static string GetDisplayName(this ClaimsPrincipal user) =>
        user.Identity?.Name ?? user.FindFirst(NameClaim)?.Value ?? user.GetAccountId() ?? "";

    /// <summary>Role names from each identity's own role claim type (configurable through <c>Oidc:RoleClaim</c>).</summary>
    public static IReadOnlyList<string> GetRoles(this ClaimsPrincipal user) =>
        [.. user.Identities.SelectMany(identity => identity.FindAll(identity.RoleClaimType)).Select(claim => claim.Value).Distinct()];
}
