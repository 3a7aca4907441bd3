using System.Net;
using System.Net.Sockets;

namespace Portal.Bench.Hosting;

/// <summary>Loopback ports the OS reports free right now (the apps must know each other's URLs before they start).</summary>
public static class FreePorts
{
    public static Uri NextLoopbackUrl()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}");
    }
}
