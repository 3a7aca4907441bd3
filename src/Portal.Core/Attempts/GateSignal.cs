
namespace Portal.Core.Attempts;

/// <summary>What a verified event means to the portal.</summary>
public enum GateSignal
{
    /// <summary><c>gate_session.created</c>: the session exists (attaches it if the create response has not yet).</summary>
    SessionCreated,

    /// <summary><c>gate_session.completed|failed|expired|cancelled</c>: closes the attempt.</summary>
    SessionClosed,

    /// <summary><c>kyc.required</c>: the customer must verify their identity inside 0Gate.</summary>
    VerificationRequired,

    /// <summary>Recorded on the attempt, changes nothing (<c>gate_session.kyc_package_accepted</c>).</summary>
    Notice,

    /// <summary>About the partner, not an attempt (<c>partner.quota.*</c>).</summary>
    Partner,

    /// <summary>A type the portal does not act on.</summary>
    Unhandled,
}
