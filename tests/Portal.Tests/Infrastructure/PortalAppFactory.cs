using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Persistence;

namespace Portal.Tests.Infrastructure;

/// <summary>
/// The real portal host with its edges replaced: a temporary SQLite file, no in-process stand-ins,
/// and known test keys. Each factory instance gets its own database.
/// </summary>
public class PortalAppFactory : WebApplicationFactory<Program>
{
    public const string WebhookSecret = "whsec_portal_tests_current";
    public const string RotatedWebhookSecret = "whsec_portal_tests_previous";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "portal-tests", Guid.NewGuid().ToString("n"));

    public string DatabasePath => Path.Combine(_directory, "portal.db");

    /// <summary>Extra settings a test class needs (applied last).</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> ExtraSettings() => [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(_directory);
        builder.UseEnvironment("Development");
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Portal"] = $"Data Source={DatabasePath}",
            ["Sandbox:Enabled"] = "false",
            ["DevIdentity:Enabled"] = "false",
            ["Gate:ApiBaseUrl"] = "http://127.0.0.1:9",
            ["Gate:HostedBaseUrl"] = "http://127.0.0.1:9",
            ["Gate:SecretKey"] = "sk_test_portal_tests",
            ["Gate:PublishableKey"] = "pk_test_portal_tests",
            ["Gate:WebhookSecrets:0"] = WebhookSecret,
            ["Gate:WebhookSecrets:1"] = RotatedWebhookSecret,
            ["DataProtection:KeysPath"] = Path.Combine(_directory, "keys"),
        };
        foreach (var (key, value) in ExtraSettings())
        {
            settings[key] = value;
        }

        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public async Task<T> WithDbAsync<T>(Func<PortalDbContext, Task<T>> query)
    {
        var factory = Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        return await query(db);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open on a slow shutdown; the OS temp cleaner gets it.
            }
        }
    }
}
