using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Portal.Tests.Infrastructure;

/// <summary>
/// A real SMTP server (the SmtpServer library) in the test process, on a free loopback port (or a given one): what the
/// portal's outcome emails meet in production, minus TLS. It keeps every message it accepted.
/// </summary>
internal sealed class TestSmtpServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    private TestSmtpServer(Task running, int port, ConcurrentQueue<MimeMessage> received)
    {
        _running = running;
        Port = port;
        Received = received;
    }

    public int Port { get; }

    public ConcurrentQueue<MimeMessage> Received { get; }

    public static async Task<TestSmtpServer> StartAsync(int port = 0)
    {
        var received = new ConcurrentQueue<MimeMessage>();
        var listeners = new SmtpServer.Net.EndpointListenerFactory();
        var started = new TaskCompletionSource<IPEndPoint>(TaskCreationOptions.RunContinuationsAsynchronously);
        listeners.EndpointStarted += (_, e) => started.TrySetResult((IPEndPoint)e.LocalEndPoint);
        var options = new SmtpServerOptionsBuilder()
            .ServerName("test-smtp")
            .Endpoint(endpoint => endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, port)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(listeners);
        services.Add(new KeepingStore(received));
        var stop = new CancellationTokenSource();
        var running = new SmtpServer.SmtpServer(options, services).StartAsync(stop.Token);
        var first = await Task.WhenAny(started.Task, running).WaitAsync(TimeSpan.FromSeconds(10));
        if (first == running)
        {
            await running;
            throw new InvalidOperationException("The test SMTP server stopped before listening.");
        }

        var server = new TestSmtpServer(running, (await started.Task).Port, received);
        server._stop.Token.Register(stop.Cancel);
        return server;
    }

    /// <summary>A loopback port nothing listens on right now (for "the SMTP server is down").</summary>
    public static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public IReadOnlyList<MimeMessage> To(string address) =>
        [.. Received.Where(m => m.To.Mailboxes.Any(box => string.Equals(box.Address, address, StringComparison.OrdinalIgnoreCase)))];

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _running.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
            // stopped
        }

        _stop.Dispose();
    }

    private sealed class KeepingStore(ConcurrentQueue<MimeMessage> received) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            await using var stream = new MemoryStream(buffer.ToArray());
            received.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }
}
