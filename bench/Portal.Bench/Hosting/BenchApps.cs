using Portal.Core.Persistence;

namespace Portal.Bench.Hosting;

/// <summary>
/// The store one pass runs on: SQLite files in the data directory, or fresh databases on the PostgreSQL server; the
/// portal and the bare endpoint always on the same kind of store, the same disk or server, each with its own
/// database. <paramref name="Directory"/> holds the pass's other files (the sandbox's database, the apps' logs).
/// </summary>
public sealed record BenchStore(StoreProvider Provider, string PortalConnectionString, string BareConnectionString, string Directory)
{
    /// <summary>"SQLite" or "PostgreSQL", as the report names the pass.</summary>
    public string Name => DisplayName(Provider);

    public static string DisplayName(StoreProvider provider) => provider == StoreProvider.PostgreSql ? "PostgreSQL" : "SQLite";

    public static BenchStore Sqlite(string directory) => new(
        StoreProvider.Sqlite, $"Data Source={Path.Combine(directory, "portal.db")}", $"Data Source={Path.Combine(directory, "bare.db")}", directory);
}

/// <summary>
/// How each app under test is started: the published Release build, environment Development (the portal then hosts
/// the 0Gate sandbox and the dev OpenID provider, as with <c>dotnet run</c>), loopback ports only, warnings-only
/// logging, every file in the data directory.
/// </summary>
public static class BenchApps
{
    public const string SecretKey = "sk_test_portal_sandbox";
    public const string PublishableKey = "pk_test_portal_sandbox";
    public const string WebhookSecret = "whsec_portal_sandbox_dev_only";

    private static Dictionary<string, string> Common(Uri url) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Development",
        ["DOTNET_ENVIRONMENT"] = "Development",
        ["ASPNETCORE_URLS"] = url.ToString().TrimEnd('/'),
        ["Urls"] = url.ToString().TrimEnd('/'),
        ["Logging__LogLevel__Default"] = "Warning",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
    };

    public sealed record PortalUrls(Uri Portal, Uri Sandbox, Uri Identity);

    /// <summary>The portal's settings, as the browser tests set them (tests/Portal.E2E/Infrastructure/PortalServer.cs).</summary>
    public static Dictionary<string, string> Portal(PortalUrls urls, BenchStore store)
    {
        var dataDirectory = store.Directory;
        var portal = urls.Portal.ToString().TrimEnd('/');
        var sandbox = urls.Sandbox.ToString().TrimEnd('/');
        var identity = urls.Identity.ToString().TrimEnd('/');
        var settings = Common(urls.Portal);
        settings["Store__Provider"] = store.Provider.ToString();
        settings["ConnectionStrings__Portal"] = store.PortalConnectionString;
        settings["Sandbox__Enabled"] = "true";
        settings["Sandbox__Url"] = sandbox;
        settings["Sandbox__ConnectionString"] = $"Data Source={Path.Combine(dataDirectory, "sandbox.db")}";
        settings["Sandbox__WebhookUrl"] = $"{portal}/webhooks/0gate";
        settings["Sandbox__AllowedDomains__0"] = portal;
        settings["Gate__ApiBaseUrl"] = sandbox;
        settings["Gate__HostedBaseUrl"] = sandbox;
        settings["Gate__SecretKey"] = SecretKey;
        settings["Gate__PublishableKey"] = PublishableKey;
        settings["Gate__WebhookSecrets__0"] = WebhookSecret;
        settings["DevIdentity__Enabled"] = "true";
        settings["DevMail__Enabled"] = "false"; // no catcher on the developer's fixed port; the bench measures no email
        settings["Email__SmtpHost"] = "";
        settings["DevIdentity__Url"] = identity;
        settings["Oidc__Authority"] = identity;
        return settings;
    }

    public static Dictionary<string, string> Bare(Uri url, BenchStore store)
    {
        var settings = Common(url);
        settings["Bare__Provider"] = store.Provider.ToString();
        settings["ConnectionStrings__Bare"] = store.BareConnectionString;
        settings["Bare__WebhookSecret"] = WebhookSecret;
        return settings;
    }

    public static Dictionary<string, string> EmptyBlazor(Uri url) => Common(url);
}
