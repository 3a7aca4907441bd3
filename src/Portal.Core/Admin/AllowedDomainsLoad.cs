using Microsoft.Extensions.Options;
using Portal.Core.Audit;
using Portal.Core.Gate;

namespace Portal.Core.Admin;

public sealed record AllowedDomainsLoad(AllowedDomainsSettings? Settings, string? Problem);
