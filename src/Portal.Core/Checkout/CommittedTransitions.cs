using System.Threading.Channels;

namespace Portal.Core.Checkout;

/// <summary>
/// Runs the effects of a status change after its transaction commits, exactly once per change
/// (only the writer whose conditional update won calls this): push to watching pages, and on
/// fulfilment queue the one receipt fetch.
/// </summary>
public sealed class CommittedTransitions(AttemptStatusNotifier notifier)
{
    private readonly Channel<string> _fulfilled = Channel.CreateUnbounded<string>(new() { SingleReader = true });

    /// <summary>Attempt ids whose fulfilment needs its receipt fetched.</summary>
    public ChannelReader<string> Fulfilled => _fulfilled.Reader;

    public void Announce(AttemptStatusChanged change)
    {
        if (change.Status == AttemptStatus.Fulfilled)
        {
            _fulfilled.Writer.TryWrite(change.AttemptId);
        }

        notifier.Publish(change);
    }
}
