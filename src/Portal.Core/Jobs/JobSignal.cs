using System.Threading.Channels;

namespace Portal.Core.Jobs;

/// <summary>Wakes the job runner as soon as a commit created work (otherwise it looks every couple of seconds).</summary>
public sealed class JobSignal
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Wake() => _channel.Writer.TryWrite(true);

    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        // The timeout runs on the given clock (a test's fake one advances it), not on the machine's.
        using var timer = new CancellationTokenSource(timeout, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            await _channel.Reader.ReadAsync(either.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Time to look anyway: another instance (or a crash before this one ran it) may have left work.
        }
    }
}
