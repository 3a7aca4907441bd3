namespace Portal.Core.Gate;

public sealed record GatePartner(
    IReadOnlyList<string> AllowedDomains,
    string? WebhookUrl,
    bool KycTrusted);
