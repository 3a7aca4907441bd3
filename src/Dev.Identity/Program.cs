namespace Dev.Identity;

/// <summary>Runs the provider alone: <c>dotnet run --project src/Dev.Identity</c>.</summary>
public static class Program
{
    public static void Main(string[] args)
    {
        // Settings come from this project's appsettings*.json, environment variables (DevIdentity__Url, …) and the command line.
        var environment = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? "Development";
        var settings = new ConfigurationBuilder()
            .SetBasePath(Directory.GetCurrentDirectory())
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile($"appsettings.{environment}.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build()
            .GetSection("DevIdentity");

        var portalOrigins = settings.GetSection("PortalOrigins").Get<string[]>() ?? ["http://localhost:5080"];
        var options = new DevIdentityHostOptions
        {
            Url = new Uri(settings["Url"] ?? "http://localhost:5082"),
            PortalOrigins = [.. portalOrigins.Select(origin => new Uri(origin))],
            ClientId = settings["ClientId"] ?? "portal",
            ClientSecret = settings["ClientSecret"] ?? "",
            EnvironmentName = environment,
            ConfigureLogging = logging => logging.AddSimpleConsole()
                .SetMinimumLevel(LogLevel.Information)
                .AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning),
        };

        DevIdentityApp.Build(options).Run();
    }
}
