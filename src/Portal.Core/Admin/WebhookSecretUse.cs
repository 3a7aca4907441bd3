namespace Portal.Core.Admin;

/// <summary>One configured webhook secret, by fingerprint only: its place in <c>Gate:WebhookSecrets</c> and when it last verified an event.</summary>
public sealed record WebhookSecretUse(int Position, string Fingerprint, DateTimeOffset? LastVerifiedAt)
{
    /// <summary>The first secret is the current one; the others are accepted while a rotation is under way.</summary>
    public bool Current => Position == 0;
}
