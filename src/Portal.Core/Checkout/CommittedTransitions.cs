using System.Threading.Channels;

namespace Portal.Core.Checkout;

/// <summary>
/// Runs the effects of committed attempt changes, once per change (only the writer whose save won announces it):
/// push to watching pages, and on fulfilment queue the one receipt fetch.
/// </summary>
public sealed class CommittedTransitions(AttemptStatusNotifier notifier)
{
    private readonly Channel<string> _fulfilled = Channel.CreateUnbounded<string>(new() { SingleReader = true });

    /// <summary>Attempt ids whose fulfilment needs its receipt fetched.</summary>
    public ChannelReader<string> Fulfilled => _fulfilled.Reader;

    public void Announce(IEnumerable<AttemptStatusChanged> changes)
    {
        foreach (var change in changes)
        {
            if (change.Fulfilled)
            {
                _fulfilled.Writer.TryWrite(change.AttemptId);
            }

            notifier.Publish(change);
        }
    }
}
