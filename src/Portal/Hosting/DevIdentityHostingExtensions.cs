using Dev.Identity;
using Portal.Core;

namespace Portal.Hosting;

public static class DevIdentityHostingExtensions
{
    /// <summary>
    /// Starts the development OpenID provider (src/Dev.Identity) inside this process when
    /// <c>DevIdentity:Enabled</c> is true. It gets its settings explicitly, never the portal's configuration.
    /// </summary>
    public static WebApplicationBuilder AddDevIdentity(this WebApplicationBuilder builder)
    {
        if (builder.Configuration.GetValue<bool>("DevIdentity:Enabled"))
        {
            StandInGuard.EnsureAllowed(builder, "DevIdentity:Enabled", "development OpenID provider");
            // Bad URLs stop the start-up here, naming the key, rather than later inside the hosted service.
            _ = RequireAbsoluteUri(builder.Configuration["DevIdentity:Url"], "DevIdentity:Url");
            _ = PortalOrigins(builder.Configuration);
            builder.Services.AddHostedService<DevIdentityHost>();
        }

        return builder;
    }

    /// <summary>Settings the provider needs, taken from the portal's: its URL, the portal client, the portal's origins.</summary>
    internal static DevIdentityHostOptions CreateDevIdentityOptions(IConfiguration configuration, ILoggerFactory portalLoggers) =>
        new()
        {
            Url = RequireAbsoluteUri(configuration["DevIdentity:Url"], "DevIdentity:Url"),
            PortalOrigins = PortalOrigins(configuration),
            ClientId = configuration["Oidc:ClientId"] ?? "",
            ClientSecret = configuration["Oidc:ClientSecret"] ?? "",
            // OpenIddict narrates every protocol request at Information; in-process, only its warnings reach the portal's log.
            ConfigureLogging = logging => logging
                .AddFilter("OpenIddict", LogLevel.Warning)
                .AddProvider(new PortalLoggerProvider(portalLoggers)),
        };

    /// <summary><c>DevIdentity:PortalOrigins</c> when set, else the portal's own <c>Urls</c> (wildcard hosts read as localhost).</summary>
    private static List<Uri> PortalOrigins(IConfiguration configuration)
    {
        var configured = configuration.GetSection("DevIdentity:PortalOrigins").Get<string[]>();
        var urls = configured is { Length: > 0 }
            ? configured
            : (configuration["Urls"] ?? "http://localhost:5080").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        return [.. urls
            .Select(url => url.Replace("://+", "://localhost").Replace("://*", "://localhost").Replace("://0.0.0.0", "://localhost"))
            .Select(url => RequireAbsoluteUri(url, "DevIdentity:PortalOrigins"))];
    }

    private static Uri RequireAbsoluteUri(string? value, string key) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
            ? uri
            : throw new InvalidConfigurationException(key, $"{key} must be an absolute URL when DevIdentity:Enabled is true.");

    /// <summary>Runs the provider as a second web application for as long as the portal runs.</summary>
    private sealed class DevIdentityHost(IConfiguration configuration, ILoggerFactory loggers) : InProcessApp
    {
        protected override WebApplication Build() => DevIdentityApp.Build(CreateDevIdentityOptions(configuration, loggers));
    }

    /// <summary>Sends the provider's log output through the portal's loggers (and their filters), under the same categories.</summary>
    private sealed class PortalLoggerProvider(ILoggerFactory portalLoggers) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => portalLoggers.CreateLogger(categoryName);

        // The portal owns its logger factory.
        public void Dispose()
        {
        }
    }
}
