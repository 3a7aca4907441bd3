namespace Portal.Core.Records;

/// <summary>
/// The dedupe record: one row per signed event id, written in the same transaction as the effect.
/// </summary>
public sealed class ProcessedEvent
{
    private ProcessedEvent()
    {
        EventId = string.Empty;
        EventType = string.Empty;
    }

    public ProcessedEvent(string eventId, string eventType, DateTimeOffset receivedAt, DateTimeOffset signedAt)
    {
        EventId = eventId;
        EventType = eventType;
        ReceivedAt = receivedAt;
        SignedAt = signedAt;
    }

    public string EventId { get; private set; }

    public string EventType { get; private set; }

    public string? GateSessionId { get; set; }

    public string? AttemptId { get; set; }

    public EventOutcome Outcome { get; set; }

    public DateTimeOffset ReceivedAt { get; private set; }

    /// <summary>The signature timestamp <c>t</c>.</summary>
    public DateTimeOffset SignedAt { get; private set; }

    /// <summary>Fingerprint of the configured webhook secret that verified the delivery (<see cref="WebhookSecretFingerprint"/>).</summary>
    public string? SecretFingerprint { get; set; }
}
