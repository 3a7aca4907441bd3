using Portal.Core.Gate;

namespace Portal.Core.Admin;

public sealed record GateDeliveries(IReadOnlyList<GateWebhookDelivery> Items, string? RequestId, string? Problem);
