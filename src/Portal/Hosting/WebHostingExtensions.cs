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
        // The JSON API answers errors in JSON (problem details), never with an HTML page; pages get the HTML ones.
        app.UseWhen(IsApi, api =>
        {
            if (!app.Environment.IsDevelopment())
            {
                api.UseExceptionHandler();
            }

            api.UseStatusCodePages();
        });
        app.UseWhen(context => !IsApi(context), pages =>
        {
            if (!app.Environment.IsDevelopment())
            {
                pages.UseExceptionHandler("/Error", createScopeForErrors: true);
            }

            pages.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
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

    /// <summary>Requests of the JSON API (<c>/api/…</c>), which answer in JSON whatever happens.</summary>
    public static bool IsApi(HttpContext context) => context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);
}
