using Portal.Auth;
using Portal.Core.Attempts;

namespace Portal.Components.Pages.Checkout;

/// <summary>
/// What the hosted checkout page needs of its (owned) attempt, as the prerender hands it to the circuit. Never the
/// session's client secret: that is read from 0Gate in the circuit only, straight into the iframe. The 0Gate session id
/// is an identifier, useless without the secret key (and the persisted state is Data Protection ciphertext anyway).
/// The owner's account id binds it to them: the state comes back from the browser when the circuit starts, so the
/// circuit takes it only for the signed-in owner (see <see cref="IsFor"/>), else it reads.
/// </summary>
public sealed record HostedAttempt(string Id, string AccountId, AttemptStatus Status, string? GateSessionId, bool AwaitsVerification)
{
    public bool IsTerminal => Status.IsTerminal();

    /// <summary>Whether this is attempt <paramref name="attemptId"/> as read for <paramref name="user"/>.</summary>
    public bool IsFor(string attemptId, System.Security.Claims.ClaimsPrincipal user) =>
        Id == attemptId && user.GetAccountId() is { } accountId && string.Equals(AccountId, accountId, StringComparison.Ordinal);

    public static HostedAttempt From(CheckoutAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return new(attempt.Id, attempt.AccountId, attempt.Status, attempt.GateSessionId, attempt.AwaitsVerification);
    }
}
