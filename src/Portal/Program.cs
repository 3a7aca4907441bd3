using Portal.Auth;
using Portal.Checkout;
using Portal.Components;
using Portal.Endpoints;
using Portal.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.AddSharedDefaults();
builder.AddPortalCore();
builder.AddGateSandbox();
builder.AddPortalWeb();
builder.AddForwardedHeaders();
builder.AddSecurityHeaders();
builder.AddDevIdentity();
builder.AddPortalAuthentication();
builder.AddPortalCheckout();

var app = builder.Build();

app.UsePortalPipeline();
app.MapPortalEndpoints();
app.MapAuthEndpoints();
app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode();

app.Run();

/// <summary>Entry point; public so integration tests can host it.</summary>
public partial class Program;
