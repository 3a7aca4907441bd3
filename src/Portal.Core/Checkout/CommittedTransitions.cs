using System.Diagnostics;
using System.Threading.Channels;

namespace Portal.Core.Checkout;

/// <summary>
/// Runs the effects of committed attempt changes, once per change (only the writer whose save won announces it):
/// push to watching pages, and on fulfilment queue the one receipt fetch.
/// </summary>
public sealed class CommittedTransitions(AttemptStatusNotifier notifier)
{
    private readonly Channel<FulfilledAttempt> _fulfilled = Channel.CreateUnbounded<FulfilledAttempt>(new() { SingleReader = true });

    /// <summary>Fulfilled attempts whose receipt needs fetching, with the trace of what fulfilled them.</summary>
    public ChannelReader<FulfilledAttempt> Fulfilled => _fulfilled.Reader;

    public void Announce(IEnumerable<AttemptStatusChanged> changes)
    {
        foreach (var change in changes)
        {
            if (change.Fulfilled)
            {
                _fulfilled.Writer.TryWrite(new FulfilledAttempt(change.AttemptId, Activity.Current?.Context ?? default));
            }

            notifier.Publish(change);
        }
    }
}

/// <summary>An attempt just fulfilled, and the trace context of the delivery (or read) that fulfilled it.</summary>
public sealed record FulfilledAttempt(string AttemptId, ActivityContext Cause);
