using System.Net;
using System.Net.Sockets;
using Dev.Identity;
using Microsoft.AspNetCore.Builder;

namespace Portal.Tests.Auth;

/// <summary>The development provider on a free loopback port, as the portal would host it.</summary>
public sealed class DevIdentityFixture : IAsyncLifetime
{
    public const string PortalOrigin = "http://localhost:5999";
    public const string ClientSecret = "test-client-secret";

    private WebApplication? _app;

    public Uri Url { get; } = new($"http://localhost:{FreeLoopbackPort()}");

    public async Task InitializeAsync()
    {
        _app = DevIdentityApp.Build(new DevIdentityHostOptions
        {
            Url = Url,
            PortalOrigins = [new Uri(PortalOrigin)],
            ClientId = "portal",
            ClientSecret = ClientSecret,
        });
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    /// <summary>A cookie-keeping client that does not follow redirects, like a browser stepped by hand.</summary>
    public HttpClient CreateClient() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
        {
            BaseAddress = Url,
        };

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
