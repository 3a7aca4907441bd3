namespace Portal.Hosting;

/// <summary>
/// Hosts the 0Gate sandbox inside the portal process (development) on its own origin
/// (<c>Sandbox:Url</c>, default http://localhost:5081), so the portal talks to it over real HTTP.
/// </summary>
public static class SandboxHostingExtensions
{
    public const string DefaultPortalOrigin = "http://localhost:5080";

    public static WebApplicationBuilder AddGateSandbox(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!builder.Configuration.GetValue<bool>("Sandbox:Enabled"))
        {
            return builder;
        }

        StandInGuard.EnsureAllowed(builder, "Sandbox:Enabled", "0Gate sandbox");
        builder.Services.AddSingleton<GateSandboxHost>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<GateSandboxHost>());
        return builder;
    }

    /// <summary>
    /// The sandbox reads only these settings, never the portal's appsettings files. The partner is the
    /// portal itself: its keys are the portal's <c>Gate:*</c> keys, its webhook URL and allowed domain
    /// are the portal's own origin, so the two sides always match. Other <c>Sandbox:*</c> keys
    /// (ConnectionString, Disabled, Quota, Webhooks, Partner:KycTrusted…) pass through unchanged.
    /// </summary>
    internal static Dictionary<string, string?> SandboxSettings(IConfiguration configuration)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in configuration.GetSection("Logging").AsEnumerable().Concat(configuration.GetSection("Sandbox").AsEnumerable()))
        {
            if (value is not null)
            {
                settings[key] = value;
            }
        }

        foreach (var portalOnly in settings.Keys.Where(k =>
            k.Equals("Sandbox:Enabled", StringComparison.OrdinalIgnoreCase)
            || k.Equals("Sandbox:WebhookUrl", StringComparison.OrdinalIgnoreCase)
            || k.StartsWith("Sandbox:AllowedDomains", StringComparison.OrdinalIgnoreCase)
            || k.StartsWith("Sandbox:Partner:AllowedDomains", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            settings.Remove(portalOnly);
        }

        var portalOrigin = PortalOrigin(configuration["Urls"]);
        settings["Sandbox:Partner:SecretKey"] = configuration["Gate:SecretKey"];
        settings["Sandbox:Partner:PublishableKey"] = configuration["Gate:PublishableKey"];
        settings["Sandbox:Partner:WebhookSecret"] = configuration["Gate:WebhookSecrets:0"];
        settings["Sandbox:Partner:WebhookUrl"] = configuration["Sandbox:WebhookUrl"] is { Length: > 0 } hook ? hook : portalOrigin + "/webhooks/0gate";

        var domains = configuration.GetSection("Sandbox:AllowedDomains").Get<string[]>() is { Length: > 0 } configured ? configured : [portalOrigin];
        for (var i = 0; i < domains.Length; i++)
        {
            settings[$"Sandbox:Partner:AllowedDomains:{i}"] = domains[i];
        }

        return settings;
    }

    /// <summary>The first of <c>Urls</c> as an origin; wildcard hosts become localhost.</summary>
    internal static string PortalOrigin(string? urls)
    {
        var first = urls?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (string.IsNullOrEmpty(first))
        {
            return DefaultPortalOrigin;
        }

        var wildcard = first.Replace("://+", "://localhost", StringComparison.Ordinal)
            .Replace("://*", "://localhost", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal)
            .Replace("://[::]", "://localhost", StringComparison.Ordinal);
        return Uri.TryCreate(wildcard, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) : DefaultPortalOrigin;
    }
}
