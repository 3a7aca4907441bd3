namespace Portal.Core.Webhooks;

/// <summary>
/// A delivery after the signature check and the body parse. Either <see cref="Event"/> is set (verified, an event
/// object) or <see cref="Reason"/> says why it is refused (<c>no_matching_signature</c>, <c>malformed_body</c>, …).
/// </summary>
public sealed record CheckedDelivery(SignatureCheck Signature, GateEvent? Event, string? Reason, string? Detail)
{
    public bool IsEvent => Event is not null;

    /// <summary>The signature itself failed (as opposed to a signed body that is not an event).</summary>
    public bool SignatureFailed => !Signature.IsValid;
}
