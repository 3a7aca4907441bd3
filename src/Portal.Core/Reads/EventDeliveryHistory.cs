using Portal.Core.Gate;

namespace Portal.Core.Reads;

/// <summary>
/// 0Gate's delivery records of one event (<c>GET /v1/webhook_deliveries?event_id=…</c>), read when support expands an
/// event on the timeline. 0Gate slow or down is an answer with a message, never an exception for the page.
/// </summary>
public sealed class EventDeliveryHistory(GateClient gate, TimeProvider time, ILogger<EventDeliveryHistory> logger)
{
    /// <summary>How long support waits for 0Gate before being told it is slow.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    public async Task<EventDeliveries> ForEventAsync(string eventId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventId);
        using var patience = new CancellationTokenSource(Patience, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, patience.Token);
        try
        {
            var response = await gate.GetWebhookDeliveriesAsync(linked.Token, eventId);

            // The filter is asked of 0Gate; keeping only this event's rows here too costs nothing if it ever answers more.
            var deliveries = response.Value.Where(d => d.EventId == eventId).OrderBy(d => d.CreatedAt).ToList();
            return new(deliveries, response.RequestId, null);
        }
        catch (OperationCanceledException) when (patience.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("0Gate did not list the deliveries of {EventId} within {Seconds} s", eventId, Patience.TotalSeconds);
            return new([], null, $"0Gate did not answer within {Patience.TotalSeconds:0} seconds. Try again in a moment.");
        }
        catch (GateApiException ex)
        {
            logger.LogWarning("Reading 0Gate's deliveries of {EventId} failed: {Status} {Code} (request {RequestId})", eventId, (int?)ex.Status, ex.Code, ex.RequestId);
            var reference = ex.RequestId is null ? string.Empty : $" (0Gate request {ex.RequestId})";
            return new([], ex.RequestId, ex.IsTransient
                ? $"0Gate could not be reached, so its delivery records are not available right now.{reference}"
                : $"0Gate refused to list the deliveries of this event ({ex.Code ?? "error"}).{reference}");
        }
    }
}
