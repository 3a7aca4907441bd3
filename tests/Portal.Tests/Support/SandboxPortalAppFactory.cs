using Portal.Tests.Infrastructure;
using Portal.Tests.Sandbox;

namespace Portal.Tests.Support;

/// <summary>The real portal host talking to a real 0Gate sandbox on a loopback port (its partner has no webhook URL).</summary>
public class SandboxPortalAppFactory : PortalAppFactory, IAsyncLifetime
{
    internal SandboxTestHost Sandbox { get; private set; } = null!;

    public async Task InitializeAsync() => Sandbox = await SandboxTestHost.StartAsync();

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings() =>
    [
        new("Gate:ApiBaseUrl", Sandbox.BaseAddress.ToString()),
        new("Gate:HostedBaseUrl", Sandbox.BaseAddress.ToString()),
        new("Gate:SecretKey", SandboxTestHost.SecretKey),
        new("Gate:PublishableKey", SandboxTestHost.PublishableKey),
        new("RateLimits:BulkReconcileReadsPerSecond", "1000"),
    ];

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}

public sealed class PostgresSandboxPortalAppFactory : SandboxPortalAppFactory
{
    public override Portal.Core.Persistence.StoreProvider Provider => Portal.Core.Persistence.StoreProvider.PostgreSql;
}
