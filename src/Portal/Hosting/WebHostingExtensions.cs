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
        // Pages get the HTML error pages. The JSON API answers errors in JSON (problem details), never with an HTML
        // page: its handlers sit inside the page ones, so they answer first and the page ones see a response with a
        // body and stay out. (The page handlers stay on the main pipeline: re-executing from inside a UseWhen branch
        // does not route the re-executed request, e.g. a refused POST /logout came back as 404 instead of 400.)
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
        }

        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseWhen(ApiRequests.Is, api =>
        {
            if (!app.Environment.IsDevelopment())
            {
                api.UseExceptionHandler();
            }

            api.UseStatusCodePages();
        });
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        app.UseRateLimiter(); // before authentication, which answers /signin-oidc itself
        app.UsePortalAuthentication();
        app.UseAntiforgery();
        app.MapStaticAssets();
        return app;
    }
}
