namespace Portal.Hosting;

public static class CoreHostingExtensions
{
    public static WebApplicationBuilder AddPortalCore(this WebApplicationBuilder builder)
    {
        return builder;
    }
}
