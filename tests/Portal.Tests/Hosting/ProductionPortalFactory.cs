using Microsoft.AspNetCore.Hosting;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Hosting;

/// <summary>The portal in Production (in-process), as a browser reaches it through the TLS proxy: https://portal.example.</summary>
public class ProductionPortalFactory : PortalAppFactory
{
    public const string Origin = "https://portal.example";

    public ProductionPortalFactory()
    {
        ClientOptions.BaseAddress = new Uri(Origin);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Production");
    }
}
