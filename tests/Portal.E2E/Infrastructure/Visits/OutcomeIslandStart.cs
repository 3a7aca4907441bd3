using System.Diagnostics.Metrics;

namespace Portal.E2E.Infrastructure.Visits;

/// <summary>
/// Completes when an outcome island has made its first look from its circuit (<c>portal.outcome.refreshes</c>
/// with source <c>start</c>), the last thing a visit does. The portal runs in this process, so its meter is heard here.
/// </summary>
public sealed class OutcomeIslandStart : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public OutcomeIslandStart()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name == "portal.outcome.refreshes")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "source", Value: "start" })
                {
                    _started.TrySetResult();
                }
            }
        });
        _listener.Start();
    }

    public Task Task => _started.Task;

    public void Dispose() => _listener.Dispose();
}
