namespace Portal.Checkout;

public static class CheckoutHostingExtensions
{
    public static WebApplicationBuilder AddPortalCheckout(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<AttemptAccess>();
        builder.Services.AddScoped<OutcomeVisit>();
        builder.Services.AddOptions<SupportOptions>().BindConfiguration(SupportOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<SupportOptions>, SupportOptionsValidator>();
        builder.Services.AddSingleton<SupportContact>();
        return builder;
    }
}
