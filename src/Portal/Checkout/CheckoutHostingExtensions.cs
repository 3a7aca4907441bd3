namespace Portal.Checkout;

public static class CheckoutHostingExtensions
{
    public static WebApplicationBuilder AddPortalCheckout(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<AttemptAccess>();
        return builder;
    }
}
