namespace Portal.Core.Admin;

/// <summary>Everything the health charts draw, for one window.</summary>
public sealed record IntegrationCharts(
    HealthWindow Window,
    DateTimeOffset From,
    DateTimeOffset To,
    WebhookTraffic Traffic,
    IReadOnlyList<LatencyBin> Latency,
    IReadOnlyList<AttemptStateCount> AttemptStates,
    AttemptFunnel Funnel);
