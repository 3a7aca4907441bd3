namespace Portal.Core.Admin;

public sealed record AllowedDomainsLoad(AllowedDomainsSettings? Settings, string? Problem);
