using Portal.Auth;
using Portal.Checkout;
using Portal.Components;
using Portal.Endpoints;
using Portal.Hosting;

// A configuration the portal cannot run with ends it with one line per problem and exit status 78.
return StartupErrors.ReportConfigurationErrors(() =>
{
    var builder = WebApplication.CreateBuilder(args);

    builder.AddSharedDefaults();
    builder.AddStartupErrorReporting();
    builder.AddPortalCore();
    builder.AddGateSandbox();
    builder.AddPortalWeb();
    builder.AddForwardedHeaders();
    builder.AddSecurityHeaders();
    builder.AddDevIdentity();
    builder.AddDevMail();
    builder.AddPortalAuthentication();
    builder.AddPortalCheckout();
    builder.AddPortalRateLimits();
    builder.AddPortalTelemetry();

    var app = builder.Build();
    if (app.RunCommand(args) is { } exitCode)
    {
        return exitCode; // e.g. `portal migrate`, the deploy step
    }

    app.UsePortalPipeline();
    app.MapPortalEndpoints();
    app.MapAuthEndpoints();
    app.MapRazorComponents<App>()
        .AddInteractiveServerRenderMode();

    app.Run();
    return 0;
});

/// <summary>Entry point; public so integration tests can host it.</summary>
public partial class Program;
