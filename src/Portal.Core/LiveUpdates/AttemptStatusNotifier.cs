using System.Collections.Concurrent;
using Portal.Core.Attempts;

namespace Portal.Core.LiveUpdates;

/// <summary>
/// In-process push of committed status changes to whoever is watching an attempt (outcome pages).
/// Called only after the change is committed; pages fall back to polling if they miss a push.
/// </summary>
public sealed class AttemptStatusNotifier(ILogger<AttemptStatusNotifier> logger)
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Guid, Func<AttemptStatusChanged, Task>>> _watchers = new();
    private readonly ConcurrentDictionary<Guid, Action<AttemptStatusChanged>> _everyChange = new();

    /// <summary>
    /// Hears every change of every attempt, synchronously, before the per-attempt watchers: for state that must never
    /// outlive a change (the status cache). <paramref name="onChange"/> must be quick and must not throw.
    /// </summary>
    public IDisposable SubscribeAll(Action<AttemptStatusChanged> onChange)
    {
        var id = Guid.NewGuid();
        _everyChange[id] = onChange;
        return new Subscription(() => _everyChange.TryRemove(id, out _));
    }

    public IDisposable Subscribe(string attemptId, Func<AttemptStatusChanged, Task> onChange)
    {
        var id = Guid.NewGuid();
        _watchers.GetOrAdd(attemptId, _ => new())[id] = onChange;
        return new Subscription(() =>
        {
            if (_watchers.TryGetValue(attemptId, out var handlers) && handlers.TryRemove(id, out _) && handlers.IsEmpty)
            {
                _watchers.TryRemove(new KeyValuePair<string, ConcurrentDictionary<Guid, Func<AttemptStatusChanged, Task>>>(attemptId, handlers));
            }
        });
    }

    public void Publish(AttemptStatusChanged change)
    {
        foreach (var onChange in _everyChange.Values)
        {
            onChange(change);
        }

        if (!_watchers.TryGetValue(change.AttemptId, out var handlers))
        {
            return;
        }

        foreach (var handler in handlers.Values)
        {
            _ = Notify(handler, change);
        }
    }

    private async Task Notify(Func<AttemptStatusChanged, Task> handler, AttemptStatusChanged change)
    {
        try
        {
            await handler(change);
        }
        catch (Exception ex)
        {
            // A broken watcher must not affect the webhook that committed the change.
            logger.LogWarning(ex, "Status watcher for {AttemptId} failed", change.AttemptId);
        }
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private Action? _dispose = dispose;

        public void Dispose() => Interlocked.Exchange(ref _dispose, null)?.Invoke();
    }
}
