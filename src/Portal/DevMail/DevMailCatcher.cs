using System.Buffers;
using System.Net;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Portal.DevMail;

/// <summary>
/// A real SMTP server (the SmtpServer library) inside the portal process in development, so the outcome emails of
/// <c>dotnet run</c> can be read on the developer tools' mail page with nothing to install. Loopback only, no
/// authentication, no TLS; it keeps what it receives in <see cref="DevMailbox"/>.
/// </summary>
internal sealed partial class DevMailCatcher(DevMailbox mailbox, IConfiguration configuration, ILogger<DevMailCatcher> logger) : IHostedService, IDisposable
{
    public const int DefaultPort = 5083;

    private readonly CancellationTokenSource _stopping = new();
    private Task? _running;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var port = configuration.GetValue("DevMail:Port", DefaultPort);
        var listeners = new SmtpServer.Net.EndpointListenerFactory();
        var started = new TaskCompletionSource<EndPoint>(TaskCreationOptions.RunContinuationsAsynchronously);
        listeners.EndpointStarted += (_, e) => started.TrySetResult(e.LocalEndPoint);

        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(endpoint => endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, port)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(listeners);
        services.Add(new CatchingStore(mailbox));
        var server = new SmtpServer.SmtpServer(options, services);
        _running = server.StartAsync(_stopping.Token);

        // A port in use fails the start here (the task faults) instead of leaving a catcher that never listens.
        var first = await Task.WhenAny(started.Task, _running).WaitAsync(cancellationToken);
        if (first == _running)
        {
            await _running;
            throw new InvalidOperationException($"The dev mail catcher stopped before listening on port {port} (DevMail:Port).");
        }

        LogStarted(logger, (await started.Task).ToString() ?? port.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_running is not null)
        {
            try
            {
                await _running.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // stopped
            }
        }
    }

    public void Dispose() => _stopping.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Dev mail catcher listening on smtp://{Address}")]
    private static partial void LogStarted(ILogger logger, string address);

    private sealed class CatchingStore(DevMailbox mailbox) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            await using var stream = new MemoryStream(buffer.ToArray());
            mailbox.Add(await MimeKit.MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }
}
