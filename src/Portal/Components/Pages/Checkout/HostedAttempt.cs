using Portal.Core.Checkout;

namespace Portal.Components.Pages.Checkout;

/// <summary>
/// What the hosted checkout page needs of its (owned) attempt, as the prerender hands it to the circuit. Never the
/// session's client secret: that is read from 0Gate in the circuit only, straight into the iframe. The 0Gate session id
/// is an identifier, useless without the secret key (and the persisted state is Data Protection ciphertext anyway).
/// </summary>
public sealed record HostedAttempt(string Id, AttemptStatus Status, string? GateSessionId, bool AwaitsVerification)
{
    public bool IsTerminal => Status.IsTerminal();

    public static HostedAttempt From(CheckoutAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return new(attempt.Id, attempt.Status, attempt.GateSessionId, attempt.AwaitsVerification);
    }
}
