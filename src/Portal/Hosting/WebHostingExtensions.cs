using Microsoft.Extensions.Options;
using MudBlazor.Services;
using Portal.Auth;
using Portal.Core.Gate;

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
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
            app.UseHsts();
        }

        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseContentSecurityPolicy();
        app.UseRateLimiter(); // before authentication, which answers /signin-oidc itself
        app.UsePortalAuthentication();
        app.UseAntiforgery();
        app.MapStaticAssets();
        return app;
    }

    /// <summary>
    /// Frames may come only from the 0Gate hosted origin, and nobody may frame the portal. (Scripts and
    /// styles are left to Blazor's defaults; this policy is about the embedded checkout.)
    /// </summary>
    private static WebApplication UseContentSecurityPolicy(this WebApplication app)
    {
        var hostedOrigin = app.Services.GetRequiredService<IOptions<GateOptions>>().Value.HostedOrigin;
        var policy = $"frame-src {hostedOrigin}; frame-ancestors 'self'; object-src 'none'; base-uri 'self'";
        app.Use((context, next) =>
        {
            context.Response.Headers.ContentSecurityPolicy = policy;
            context.Response.Headers.XContentTypeOptions = "nosniff";
            return next(context);
        });
        return app;
    }
}
