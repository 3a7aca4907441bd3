namespace Portal.Auth;

/// <summary>Role names as the identity provider sends them in the role claim.</summary>
public static class PortalRoles
{
    public const string Customer = "customer";
    public const string Support = "support";
    public const string Admin = "admin";
}
