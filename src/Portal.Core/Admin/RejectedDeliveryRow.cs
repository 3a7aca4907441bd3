namespace Portal.Core.Admin;

public sealed record RejectedDeliveryRow(DateTimeOffset ReceivedAt, string Reason, int BodyLength, long? TimestampSkewSeconds);
