using Portal.Core.Telemetry;
using Portal.Core.Webhooks;

namespace Portal.Endpoints;

public sealed record WebhookAck(bool Received, string? EventId, bool Duplicate);
