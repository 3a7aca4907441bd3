namespace Portal.Core.Webhooks;

/// <param name="SecretFingerprint">
/// For a valid signature, the fingerprint (<see cref="WebhookSecretFingerprint"/>) of the configured secret that
/// verified it: which secret 0Gate signs with, during a rotation.
/// </param>
public readonly record struct SignatureCheck(SignatureFailure Failure, DateTimeOffset? SignedAt, long? SkewSeconds, string? SecretFingerprint = null)
{
    public bool IsValid => Failure == SignatureFailure.None;
}
