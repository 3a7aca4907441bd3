using Portal.Core.Gate;

namespace Portal.Core.Reads;

/// <summary>0Gate's own deliveries of one event (oldest first), or why they could not be read.</summary>
public sealed record EventDeliveries(IReadOnlyList<GateWebhookDelivery> Deliveries, string? RequestId, string? Problem);
