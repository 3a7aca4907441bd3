namespace Portal.Core.Records;

/// <summary>
/// A webhook delivery the portal refused. Holds enough to investigate (reason, size, hash, clock skew)
/// and nothing that could leak: never the body, a signature or a secret.
/// </summary>
public sealed class RejectedDelivery
{
    private RejectedDelivery()
    {
        Reason = string.Empty;
        BodySha256 = string.Empty;
    }

    public RejectedDelivery(string reason, int bodyLength, string bodySha256, long? timestampSkewSeconds, DateTimeOffset receivedAt)
    {
        Reason = reason;
        BodyLength = bodyLength;
        BodySha256 = bodySha256;
        TimestampSkewSeconds = timestampSkewSeconds;
        ReceivedAt = receivedAt;
    }

    public long Id { get; private set; }

    public string Reason { get; private set; }

    public int BodyLength { get; private set; }

    /// <summary>Lower-case hex SHA-256 of the raw body, to match against 0Gate's delivery records.</summary>
    public string BodySha256 { get; private set; }

    /// <summary>Signature timestamp minus the portal's clock, when the header had a readable <c>t</c>.</summary>
    public long? TimestampSkewSeconds { get; private set; }

    public DateTimeOffset ReceivedAt { get; private set; }
}
