namespace Dev.Identity;

/// <summary>
/// Everything the provider needs, passed explicitly so an in-process host never reads the portal's configuration.
/// </summary>
public sealed class DevIdentityHostOptions
{
    /// <summary>Issuer and listening address, e.g. <c>http://localhost:5082</c>.</summary>
    public Uri Url { get; init; } = new("http://localhost:5082");

    /// <summary>Origins the portal runs on; each gets <c>/signin-oidc</c> and <c>/signout-callback-oidc</c> registered.</summary>
    public IReadOnlyList<Uri> PortalOrigins { get; init; } = [new Uri("http://localhost:5080")];

    public string ClientId { get; init; } = "portal";

    /// <summary>The confidential client's secret; the portal sends the same value as <c>Oidc:ClientSecret</c>.</summary>
    public string ClientSecret { get; init; } = "";

    public string EnvironmentName { get; init; } = "Development";

    /// <summary>Where log output goes (console when run alone, the portal's loggers when hosted inside it).</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; init; }

    internal void Validate()
    {
        if (!Url.IsAbsoluteUri || Url.Scheme is not ("http" or "https"))
        {
            throw new InvalidOperationException("DevIdentity:Url must be an absolute http(s) URL.");
        }

        if (string.IsNullOrWhiteSpace(ClientId))
        {
            throw new InvalidOperationException("The development provider needs a client id (Oidc:ClientId).");
        }

        if (string.IsNullOrWhiteSpace(ClientSecret))
        {
            throw new InvalidOperationException("The development provider needs the client secret (Oidc:ClientSecret).");
        }

        if (PortalOrigins.Count == 0 || PortalOrigins.Any(origin => !origin.IsAbsoluteUri))
        {
            throw new InvalidOperationException("The development provider needs at least one absolute portal origin (DevIdentity:PortalOrigins).");
        }
    }
}
