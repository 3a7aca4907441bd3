using Portal.Core.Admin;

namespace Portal.Components.Pages.Admin;

/// <summary>
/// Everything the admin overview reads (the store's health figures and 0Gate's answers), as one value the prerender
/// hands to the circuit (<c>[PersistentState]</c>): one visit reads the store and 0Gate once. Admin-only data on an
/// admin-only page; no key or secret is in it (secrets appear by fingerprint only).
/// </summary>
public sealed record AdminOverview(
    PortalWebhookHealth Portal,
    IReadOnlyList<IntegrationAlert> Alerts,
    WebhookSecretsStatus Secrets,
    HealthWindow Window,
    IntegrationCharts Charts,
    GateReachability Reachability,
    GateDeliveries Deliveries,
    QuotaLevel Quota);
