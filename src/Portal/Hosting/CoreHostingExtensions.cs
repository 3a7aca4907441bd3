using Portal.Core.Hosting;

namespace Portal.Hosting;

public static class CoreHostingExtensions
{
    public static WebApplicationBuilder AddPortalCore(this WebApplicationBuilder builder)
    {
        builder.Services.AddPortalCoreServices(builder.Configuration, builder.Environment.ContentRootPath, builder.Environment.IsDevelopment());
        builder.Services.AddProblemDetails();
        return builder;
    }
}
