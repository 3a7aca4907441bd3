namespace Portal.Core.Admin;

public sealed record WebhookSecretsStatus(IReadOnlyList<WebhookSecretUse> Secrets, LatestVerification? Latest, TimeSpan Lookback);
