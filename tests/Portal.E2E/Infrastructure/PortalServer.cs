using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Portal.E2E.Infrastructure.Visits;

namespace Portal.E2E.Infrastructure;

/// <summary>
/// The real portal (<c>Program</c>) on real Kestrel at <see cref="BaseUrl"/>, with its own throwaway SQLite file.
/// The environment is Development, as with <c>dotnet run</c>: that is what serves the static web assets
/// (MudBlazor's CSS and JS, blazor.web.js) from the build output without publishing.
/// </summary>
public sealed class PortalServer : WebApplicationFactory<Program>
{
    private readonly DirectoryInfo _dataDirectory = Directory.CreateTempSubdirectory("portal-e2e-");

    public PortalServer(PortalServerOptions options)
    {
        Options = options;
        UseKestrel(options.PortalPort);
    }

    public PortalServerOptions Options { get; }

    /// <summary>Records the store commands and 0Gate requests of one browser visit (<see cref="VisitExtensions.RecordVisitAsync"/>).</summary>
    public VisitRecorder Visits { get; } = new();

    /// <summary>The portal's origin, e.g. <c>http://127.0.0.1:5180</c> (no trailing slash).</summary>
    public string BaseUrl => Options.PortalUrl;

    public string DatabasePath => Path.Combine(_dataDirectory.FullName, "portal.db");

    /// <summary>Everything the portal is configured with on top of its own appsettings files.</summary>
    public IReadOnlyDictionary<string, string?> Settings => BuildSettings();

    /// <summary>Starts the host; returns once Kestrel listens on <see cref="BaseUrl"/>.</summary>
    public void Start()
    {
        try
        {
            StartServer();
        }
        catch (IOException e) when (e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"Cannot start the portal for the browser tests: {e.Message} Stop whatever uses port {Options.PortalPort} " +
                $"(or {Options.SandboxPort}/{Options.IdentityPort}), or choose other ports with " +
                $"{PortalServerOptions.PortalPortVariable}, {PortalServerOptions.SandboxPortVariable} and " +
                $"{PortalServerOptions.IdentityPortVariable}.",
                e);
        }

        var listening = ClientOptions.BaseAddress.GetLeftPart(UriPartial.Authority);
        if (!string.Equals(listening, BaseUrl, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"The portal listens on {listening}, not on {BaseUrl} as configured.");
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in BuildSettings())
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(Visits.AddTo);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _dataDirectory.Delete(recursive: true);
    }

    private Dictionary<string, string?> BuildSettings()
    {
        var options = Options;
        var settings = new Dictionary<string, string?>
        {
            ["Urls"] = options.PortalUrl,
            ["ConnectionStrings:Portal"] = $"Data Source={DatabasePath}",
            // Test output shows warnings and errors; the hosts' request-by-request information would drown them.
            ["Logging:LogLevel:Default"] = "Warning",

            // The sandbox and the identity provider live on the E2E ports whether or not this process hosts them,
            // so a disabled stand-in is simply unreachable, never a developer's instance on 5081/5082.
            ["Sandbox:Enabled"] = options.HostSandbox ? "true" : "false",
            ["Sandbox:Url"] = options.SandboxUrl,
            ["Sandbox:WebhookUrl"] = $"{options.PortalUrl}/webhooks/0gate",
            ["Sandbox:AllowedDomains:0"] = options.PortalUrl,
            ["Gate:ApiBaseUrl"] = options.SandboxUrl,
            ["Gate:HostedBaseUrl"] = options.SandboxUrl,

            ["DevIdentity:Enabled"] = options.HostDevIdentity ? "true" : "false",
            ["DevIdentity:Url"] = options.IdentityUrl,
            ["Oidc:Authority"] = options.IdentityUrl,

            // The dev mail catcher on its E2E port; the outcome emails go to it.
            ["DevMail:Enabled"] = "true",
            ["DevMail:Port"] = options.MailPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Email:SmtpHost"] = "127.0.0.1",
            ["Email:SmtpPort"] = options.MailPort.ToString(System.Globalization.CultureInfo.InvariantCulture),

            // Every browser test signs in and starts checkouts from 127.0.0.1, far more often than a person would.
            ["RateLimits:SignInPerMinute"] = "100000",
            ["RateLimits:CheckoutStartsPerMinute"] = "100000",
        };

        foreach (var (key, value) in options.Settings)
        {
            settings[key] = value;
        }

        return settings;
    }
}
