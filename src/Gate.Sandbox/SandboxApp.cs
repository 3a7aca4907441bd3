using Gate.Sandbox.Api;
using Gate.Sandbox.Capabilities;
using Gate.Sandbox.Embed;
using Gate.Sandbox.Partner;
using Gate.Sandbox.Receipts;
using Gate.Sandbox.Sessions;
using Gate.Sandbox.Storage;
using Gate.Sandbox.Webhooks;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gate.Sandbox;

/// <summary>How to build a sandbox app: standalone (normal configuration files) or hosted (explicit settings only).</summary>
public sealed class SandboxHostOptions
{
    /// <summary>
    /// True for <c>dotnet run --project src/Gate.Sandbox</c>: appsettings*.json from the content root,
    /// environment variables and <see cref="Args"/>. False (hosted in another process or a test):
    /// only <see cref="Settings"/> is read, so the host's own appsettings never leak in.
    /// </summary>
    public bool UseDefaultConfigurationSources { get; init; }

    public string[] Args { get; init; } = [];

    /// <summary>Configuration keys such as <c>Sandbox:Partner:SecretKey</c>; applied last.</summary>
    public IEnumerable<KeyValuePair<string, string?>> Settings { get; init; } = [];

    /// <summary>The clock for expiry and retries; tests pass a FakeTimeProvider.</summary>
    public TimeProvider? TimeProvider { get; init; }

    /// <summary>Hook for hosts and tests (e.g. to replace the webhook HttpClient handler).</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }
}

/// <summary>Builds the 0Gate sandbox web app, used by <see cref="Program"/> and by the portal's in-process host.</summary>
public static class SandboxApp
{
    public static WebApplication Build(SandboxHostOptions host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var builder = host.UseDefaultConfigurationSources
            ? WebApplication.CreateBuilder(new WebApplicationOptions { Args = host.Args, ApplicationName = typeof(SandboxApp).Assembly.GetName().Name })
            : WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ApplicationName = typeof(SandboxApp).Assembly.GetName().Name, ContentRootPath = AppContext.BaseDirectory });

        if (!host.UseDefaultConfigurationSources)
        {
            builder.Configuration.Sources.Clear();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
                ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",
                ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning",
                // The host logs where the sandbox listens; the inner lifetime chatter would repeat the portal's.
                ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
            });
        }

        builder.Configuration.AddInMemoryCollection(host.Settings);
        builder.AddSandboxServices(host.TimeProvider ?? TimeProvider.System);
        host.ConfigureServices?.Invoke(builder.Services);

        var url = builder.Configuration[$"{SandboxOptions.SectionName}:Url"] ?? new SandboxOptions().Url;
        builder.WebHost.UseUrls(url);

        var app = builder.Build();
        app.InitializeStore();
        app.UseSandboxPipeline();
        app.MapSandboxEndpoints();
        return app;
    }

    public static WebApplicationBuilder AddSandboxServices(this WebApplicationBuilder builder, TimeProvider timeProvider)
    {
        var services = builder.Services;
        services.AddOptions<SandboxOptions>()
            .BindConfiguration(SandboxOptions.SectionName)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SandboxOptions>, SandboxOptionsValidator>();

        services.AddSingleton(timeProvider);
        services.AddDbContextFactory<SandboxDbContext>((sp, o) =>
            o.UseSqlite(sp.GetRequiredService<IOptions<SandboxOptions>>().Value.ConnectionString));
        services.AddSingleton<SandboxStore>();
        services.AddSingleton(sp =>
        {
            using var db = sp.GetRequiredService<IDbContextFactory<SandboxDbContext>>().CreateDbContext();
            return SandboxSecrets.Load(db, sp.GetRequiredService<IOptions<SandboxOptions>>().Value);
        });
        services.AddSingleton<SandboxUrls>();
        services.AddSingleton<PartnerState>();
        services.AddSingleton<CapabilityCatalog>();
        services.AddSingleton<QuotaTracker>();
        services.AddSingleton<WebhookBehavior>();
        services.AddSingleton<DeliveryWakeup>();
        services.AddSingleton<EventPublisher>();
        services.AddSingleton<EventTools>();
        services.AddSingleton<SessionService>();
        services.AddSingleton<EmbedTokens>();
        services.AddSingleton<ReceiptService>();
        services.AddHostedService<WebhookDeliverer>();
        services.AddHttpClient(WebhookDeliverer.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan);

        services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = SandboxJson.Options.PropertyNamingPolicy;
        });
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return builder;
    }

    /// <summary>
    /// Creates the SQLite file and schema, and the server secret if it is not configured. The sandbox is a throwaway store (EnsureCreated, no migrations):
    /// a file made by an older sandbox whose schema differs is dropped and created afresh, so a pull that
    /// changes the model never leaves a developer with a broken sandbox. The schema's fingerprint is kept in
    /// SQLite's <c>user_version</c>.
    /// </summary>
    public static void InitializeStore(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<SandboxOptions>>().Value;
        var dataSource = new SqliteConnectionStringBuilder(options.ConnectionString).DataSource;
        var directory = Path.GetDirectoryName(Path.GetFullPath(dataSource));
        if (!string.IsNullOrEmpty(dataSource) && dataSource != ":memory:" && !string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        using var db = app.Services.GetRequiredService<IDbContextFactory<SandboxDbContext>>().CreateDbContext();
        var fingerprint = BitConverter.ToInt32(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(db.Database.GenerateCreateScript()))) & int.MaxValue;
        var stored = db.Database.SqlQueryRaw<int>("SELECT user_version AS Value FROM pragma_user_version").AsEnumerable().First();
        if (stored != fingerprint)
        {
            db.Database.EnsureDeleted();
            db.Database.EnsureCreated();
            var setVersion = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"PRAGMA user_version = {fingerprint}");
            db.Database.ExecuteSqlRaw(setVersion); // an int of ours: PRAGMA takes no parameters
        }

        // The server secret (generated and stored on first start unless configured) is loaded now, with the store's
        // creation: resolved lazily, the first receipt read (GET /v1/transactions/{refid}) or embed bootstrap would
        // write it, and reads are meant to be reads.
        _ = app.Services.GetRequiredService<SandboxSecrets>();
    }

    public static WebApplication UseSandboxPipeline(this WebApplication app)
    {
        app.UseRequestIds();
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = context =>
            {
                var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
                return error is BadHttpRequestException bad
                    ? ApiError.WriteAsync(context, bad.StatusCode, ErrorTypes.InvalidRequest, "invalid_request", "The request could not be read: " + bad.Message)
                    : ApiError.WriteAsync(context, StatusCodes.Status500InternalServerError, ErrorTypes.Api, "internal_error", "The sandbox hit an unexpected error.");
            },
            // A client's malformed JSON is not a server error worth a stack trace in the log.
            SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException,
        });
        app.UseStatusCodePages(context =>
        {
            var http = context.HttpContext;
            return http.Response.StatusCode == StatusCodes.Status404NotFound && http.Request.Path.StartsWithSegments("/v1")
                ? ApiError.WriteAsync(http, StatusCodes.Status404NotFound, ErrorTypes.NotFound, "route_not_found", $"No such endpoint: {http.Request.Method} {http.Request.Path}")
                : Task.CompletedTask;
        });
        return app;
    }

    public static IEndpointRouteBuilder MapSandboxEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/", () => TypedResults.Text("0Gate sandbox. See docs/sandbox.md."));
        routes.MapSessionEndpoints();
        routes.MapCapabilitiesEndpoints();
        routes.MapWebhookEndpoints();
        routes.MapPartnerEndpoints();
        routes.MapEmbedEndpoints();
        routes.MapReceiptEndpoints();
        return routes;
    }
}
