namespace Portal.Auth;

/// <summary>Authorization policy names, for <c>[Authorize(Policy = …)]</c> and <c>AuthorizeView Policy=…</c>.</summary>
public static class PortalPolicies
{
    /// <summary>Customers: start checkouts and read their own attempts.</summary>
    public const string Customer = nameof(Customer);

    /// <summary>Support agents and admins: find any attempt, read timelines, reconcile.</summary>
    public const string Support = nameof(Support);

    /// <summary>Admins: allowed domains and integration health.</summary>
    public const string Admin = nameof(Admin);
}
