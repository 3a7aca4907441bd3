namespace Portal.Core.Admin;

public sealed record QuotaEventRow(string EventId, string EventType, DateTimeOffset ReceivedAt);
