using Npgsql;
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

    /// <summary>The 0Gate sandbox's own SQLite file (always SQLite: it is 0Gate's store, not the portal's).</summary>
    public string SandboxConnectionString => $"Data Source={Path.Combine(Directory, "sandbox.db")}";

    /// <summary>The portal's database name on PostgreSQL (null on SQLite).</summary>
    public string? PortalDatabase => Provider == StoreProvider.PostgreSql ? new NpgsqlConnectionStringBuilder(PortalConnectionString).Database : null;

    /// <summary>
    /// The store as <paramref name="applicationName"/> connects to it: on PostgreSQL its connections carry that
    /// <c>application_name</c>, so the server's statement log tells the portal's statements from the bench's own.
    /// </summary>
    public string PortalConnectionStringFor(string applicationName) => Provider == StoreProvider.PostgreSql
        ? new NpgsqlConnectionStringBuilder(PortalConnectionString) { ApplicationName = applicationName }.ConnectionString
        : PortalConnectionString;

    public static string DisplayName(StoreProvider provider) => provider == StoreProvider.PostgreSql ? "PostgreSQL" : "SQLite";

    public static BenchStore Sqlite(string directory) => new(
        StoreProvider.Sqlite, $"Data Source={Path.Combine(directory, "portal.db")}", $"Data Source={Path.Combine(directory, "bare.db")}", directory);
}

/// <summary>
/// How each app under test is started: the published Release build, environment Development, loopback ports only,
/// warnings-only logging, every file in the data directory. 0Gate (the sandbox, <c>src/Gate.Sandbox</c>) runs as a
/// process of its own, as a remote service would, so the portal's figures are the portal's work; the portal is
/// started with <c>Sandbox:Enabled=false</c> and its <c>Gate:*</c> settings pointed at it. The dev OpenID provider
/// stays hosted in the portal (no scenario signs in through it).
/// </summary>
public static class BenchApps
{
    public const string SecretKey = "sk_test_portal_sandbox";
    public const string PublishableKey = "pk_test_portal_sandbox";
    public const string WebhookSecret = "whsec_portal_sandbox_dev_only";

    /// <summary>The sandbox's one partner (the portal), named explicitly so the bench's seeded sessions belong to it.</summary>
    public const string PartnerId = "ptn_sandbox";

    /// <summary><c>application_name</c> of the portal's connections to PostgreSQL: <c>portal/</c> + the instance's id.</summary>
    public const string PortalApplicationName = "portal/";

    /// <summary><c>application_name</c> of the bench's own connections to the portal's PostgreSQL database (seeding, counting).</summary>
    public const string BenchApplicationName = "portal-bench";

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

    /// <summary>
    /// The portal's settings, as the browser tests set them (tests/Portal.E2E/Infrastructure/PortalServer.cs), except
    /// that 0Gate is the sandbox process (<see cref="Sandbox"/>), not one hosted in the portal.
    /// </summary>
    public static Dictionary<string, string> Portal(PortalUrls urls, BenchStore store)
    {
        var sandbox = urls.Sandbox.ToString().TrimEnd('/');
        var identity = urls.Identity.ToString().TrimEnd('/');
        var settings = Common(urls.Portal);
        settings["Store__Provider"] = store.Provider.ToString();
        // No application_name of the bench's: the portal names its connections portal/<instance id> itself (its
        // notify trigger tells its own changes apart by it), and the statement count matches that prefix.
        settings["ConnectionStrings__Portal"] = store.PortalConnectionString;
        settings["Sandbox__Enabled"] = "false";
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

    /// <summary>
    /// The 0Gate sandbox run alone (<c>dotnet Gate.Sandbox.dll</c>, what <c>dotnet run --project src/Gate.Sandbox</c>
    /// runs; its appsettings files are not published, so every setting it needs is here): its partner is the portal,
    /// with the portal's keys and webhook secret, its webhook URL the portal's <c>/webhooks/0gate</c> and the portal's
    /// origin its allowed domain, as the portal sets them when it hosts the sandbox itself; its store in the pass's
    /// directory.
    /// </summary>
    public static Dictionary<string, string> Sandbox(PortalUrls urls, BenchStore store)
    {
        var portal = urls.Portal.ToString().TrimEnd('/');
        var settings = Common(urls.Sandbox);
        settings["Sandbox__Url"] = urls.Sandbox.ToString().TrimEnd('/');
        settings["Sandbox__ConnectionString"] = store.SandboxConnectionString;
        settings["Sandbox__Partner__Id"] = PartnerId;
        settings["Sandbox__Partner__SecretKey"] = SecretKey;
        settings["Sandbox__Partner__PublishableKey"] = PublishableKey;
        settings["Sandbox__Partner__WebhookSecret"] = WebhookSecret;
        settings["Sandbox__Partner__WebhookUrl"] = $"{portal}/webhooks/0gate";
        settings["Sandbox__Partner__AllowedDomains__0"] = portal;
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
