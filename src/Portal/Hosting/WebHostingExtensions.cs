using MudBlazor.Services;
using Portal.Auth;

namespace Portal.Hosting;

public static class WebHostingExtensions
{
    public static WebApplicationBuilder AddPortalWeb(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents()
            .AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.Services.AddScoped<Portal.Components.Common.BrowserInterop>();
        return builder;
    }

    public static WebApplication UsePortalPipeline(this WebApplication app)
    {
        // First: scheme and client address as the TLS-terminating proxy saw them (known proxies only), so
        // everything after (HSTS, cookies, the OIDC redirect_uri) sees https.
        app.UseForwardedHeaders();
        app.UseSecurityHeaders();
        app.UseInstanceHeader();
        app.UseMigrationGate();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
            app.UseHsts();
        }

        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseRateLimiter(); // before authentication, which answers /signin-oidc itself
        app.UsePortalAuthentication();
        app.UseAntiforgery();
        app.MapStaticAssets();
        return app;
    }
}
