using Portal.Core.Records;

namespace Portal.Core.Webhooks;

/// <summary>How a verified event was handled; <see cref="Duplicate"/> when its id had been processed before.</summary>
public sealed record EventApplication(EventOutcome? Outcome, bool Duplicate);
