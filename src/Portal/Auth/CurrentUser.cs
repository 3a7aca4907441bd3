using System.Security.Claims;
using Portal.Core.Records;

namespace Portal.Auth;

/// <summary>What the portal needs to know about the signed-in person, read from the provider's claims.</summary>
public static class CurrentUser
{
    public const string SubjectClaim = "sub";
    public const string NameClaim = "name";
    public const string EmailClaim = "email";

    /// <summary>The customer's account id: the provider's stable subject (<c>sub</c>); null when anonymous.</summary>
    public static string? GetAccountId(this ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true ? user.FindFirst(SubjectClaim)?.Value : null;

    /// <summary>The provider's <c>email</c> claim (outcome emails go there); null when there is none.</summary>
    public static string? GetEmail(this ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && user.FindFirst(EmailClaim)?.Value is { Length: > 0 } email ? email : null;

    /// <summary>Support agents and admins may read every attempt.</summary>
    public static bool IsStaff(this ClaimsPrincipal user) =>
        user.IsInRole(PortalRoles.Support) || user.IsInRole(PortalRoles.Admin);

    public static bool IsCustomer(this ClaimsPrincipal user) => user.IsInRole(PortalRoles.Customer);

    public static string GetDisplayName(this ClaimsPrincipal user) =>
        user.Identity?.Name ?? user.FindFirst(NameClaim)?.Value ?? user.GetAccountId() ?? "";

    /// <summary>Role names from each identity's own role claim type (configurable through <c>Oidc:RoleClaim</c>).</summary>
    public static IReadOnlyList<string> GetRoles(this ClaimsPrincipal user) =>
        [.. user.Identities.SelectMany(identity => identity.FindAll(identity.RoleClaimType)).Select(claim => claim.Value).Distinct()];

    /// <summary>
    /// The signed-in staff member as the audit log records them: subject, display name, and the role acted in (admin
    /// when they hold it, else support). Null for anyone who is not staff.
    /// </summary>
    public static StaffMember? ToStaffMember(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.GetAccountId() is not { Length: > 0 } subject || !user.IsStaff())
        {
            return null;
        }

        var name = user.GetDisplayName();
        return new StaffMember(subject, string.IsNullOrWhiteSpace(name) ? subject : name, user.IsInRole(PortalRoles.Admin) ? PortalRoles.Admin : PortalRoles.Support);
    }
}
