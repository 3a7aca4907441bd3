using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace Portal.Hosting;

public static class SharedConfigurationExtensions
{
    /// <summary>
    /// The shared defaults are the repository-root <c>appsettings.json</c>, copied next to the binaries.
    /// It takes the place of the content-root <c>appsettings.json</c>, so environment files beside the
    /// project, environment variables and the command line still override it in the usual order.
    /// </summary>
    public static WebApplicationBuilder AddSharedDefaults(this WebApplicationBuilder builder)
    {
        var sources = builder.Configuration.Sources;
        for (var i = 0; i < sources.Count; i++)
        {
            if (sources[i] is JsonConfigurationSource { Path: "appsettings.json" } json)
            {
                sources[i] = new JsonConfigurationSource
                {
                    Path = "appsettings.json",
                    Optional = false,
                    ReloadOnChange = json.ReloadOnChange,
                    FileProvider = new PhysicalFileProvider(AppContext.BaseDirectory),
                };
                break;
            }
        }

        return builder;
    }
}
