using System.Text.Json.Serialization;
using System.Text.Json;
using Gate.Sandbox.Api;
using Gate.Sandbox.Partner;
using Gate.Sandbox.Storage;

namespace Gate.Sandbox.Webhooks;

public sealed record WebhookEvent<T>(string Id, [property: JsonPropertyName("object")] string ObjectType, string Type, long Created, bool Livemode, T Data);

/// <summary>
/// Persists an event and its delivery rows in the caller's unit of work (so an event exists
/// exactly when the change that caused it was saved). Call <see cref="DeliveryWakeup.Notify"/> after saving.
/// </summary>
public sealed class EventPublisher(PartnerState partner, WebhookBehavior behavior, TimeProvider time)
{
    public EventRecord Add<T>(SandboxDbContext db, string type, T data, string? sessionId = null)
    {
        var now = time.GetUtcNow();
        var evt = new WebhookEvent<T>(Ids.New("evt_"), "event", type, now.ToUnixTimeSeconds(), partner.LiveMode, data);
        var body = JsonSerializer.Serialize(evt, SandboxJson.Options);
        var record = new EventRecord
        {
            Id = evt.Id,
            PartnerId = partner.Id,
            Type = type,
            SessionId = sessionId,
            Body = body,
            Created = now.ToUnixTimeMilliseconds(),
        };
        db.Events.Add(record);

        var settings = behavior.Current;
        var firstAttemptAt = now.AddMilliseconds(settings.DelayMs).ToUnixTimeMilliseconds();
        var copies = settings.Duplicate ? 2 : 1;
        for (var i = 0; i < copies; i++)
        {
            db.Deliveries.Add(new DeliveryRecord
            {
                Id = Ids.New("wd_"),
                EventId = evt.Id,
                EventType = type,
                Body = body,
                Status = DeliveryStatus.Pending,
                NextAttemptAt = firstAttemptAt,
                CreatedAt = now.ToUnixTimeMilliseconds(),
            });
        }

        return record;
    }

    /// <summary>
    /// One more delivery of a stored event, due now: the same id and the same body (signed when it is sent), so the
    /// partner sees exactly what a retry or an at-least-once duplicate looks like.
    /// </summary>
    public DeliveryRecord Redeliver(SandboxDbContext db, EventRecord stored)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var delivery = new DeliveryRecord
        {
            Id = Ids.New("wd_"),
            EventId = stored.Id,
            EventType = stored.Type,
            Body = stored.Body,
            Status = DeliveryStatus.Pending,
            NextAttemptAt = now,
            CreatedAt = now,
        };
        db.Deliveries.Add(delivery);
        return delivery;
    }
}

/// <summary>Wakes the deliverer as soon as something is enqueued (no polling with long sleeps).</summary>
public sealed class DeliveryWakeup
{
    private readonly System.Threading.Channels.Channel<bool> _channel =
        System.Threading.Channels.Channel.CreateBounded<bool>(new System.Threading.Channels.BoundedChannelOptions(1)
        {
            FullMode = System.Threading.Channels.BoundedChannelFullMode.DropWrite,
        });

    public void Notify() => _channel.Writer.TryWrite(true);

    public async Task WaitAsync(TimeSpan? timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        if (_channel.Reader.TryRead(out _))
        {
            return;
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var signal = _channel.Reader.WaitToReadAsync(cts.Token).AsTask();
        var tasks = new List<Task> { signal };
        if (timeout is { } t)
        {
            tasks.Add(Task.Delay(t < TimeSpan.Zero ? TimeSpan.Zero : t, time, cts.Token));
        }

        await Task.WhenAny(tasks);
        await cts.CancelAsync();
        _channel.Reader.TryRead(out _);
        cancellationToken.ThrowIfCancellationRequested();
    }
}
