namespace Portal.Checkout;

public static class CheckoutHostingExtensions
{
    public static WebApplicationBuilder AddPortalCheckout(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<AttemptAccess>();
        return builder;
    }

    /// <summary>After authentication and authorization: 404 for attempt pages the user may not see.</summary>
    public static WebApplication UseAttemptRouteGuard(this WebApplication app)
    {
        app.UseMiddleware<AttemptRouteGuard>();
        return app;
    }
}
