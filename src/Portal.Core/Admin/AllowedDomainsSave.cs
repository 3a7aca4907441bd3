namespace Portal.Core.Admin;

public sealed record AllowedDomainsSave(AllowedDomainsSettings? Saved, IReadOnlyDictionary<int, string> Problems, string? Problem)
{
    public bool Succeeded => Saved is not null;
}
