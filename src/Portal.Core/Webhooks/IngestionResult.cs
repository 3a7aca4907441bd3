using Portal.Core.Records;

namespace Portal.Core.Webhooks;

/// <summary>What <see cref="WebhookIngestion.ApplyAsync"/> did with a verified delivery.</summary>
public sealed record IngestionResult(IngestionStatus Status, string Detail, EventOutcome? Outcome = null, string? EventId = null);
