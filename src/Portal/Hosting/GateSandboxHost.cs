using Gate.Sandbox;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Portal.Hosting;

/// <summary>Starts the sandbox before the portal serves requests and stops it with the portal.</summary>
internal sealed partial class GateSandboxHost(IConfiguration configuration, IServiceProvider services, ILogger<GateSandboxHost> logger)
    : InProcessApp
{
    /// <summary>The address the sandbox bound (useful when <c>Sandbox:Url</c> asks for port 0).</summary>
    public Uri? BaseAddress { get; private set; }

    protected override WebApplication Build() => SandboxApp.Build(new SandboxHostOptions
    {
        Settings = SandboxHostingExtensions.SandboxSettings(configuration),
        TimeProvider = services.GetService<TimeProvider>(),
    });

    protected override void OnStarted(WebApplication app)
    {
        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        BaseAddress = address is null ? null : new Uri(address);
        LogStarted(logger, address ?? "(unknown)");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "0Gate sandbox listening on {Address}")]
    private static partial void LogStarted(ILogger logger, string address);
}
