namespace Portal.Core.Reads;

/// <summary>What the customer is shown about an attempt (docs/architecture.md#customer-copy), by wire name in the status JSON.</summary>
public enum OutcomeView
{
    /// <summary><c>requires_action</c>: the checkout waits for the customer inside 0Gate.</summary>
    NotFinished,

    /// <summary><c>verification_required</c>: 0Gate asked the customer to verify their identity to go on.</summary>
    VerificationRequired,

    /// <summary><c>processing</c>: the customer is done; the portal waits for 0Gate's confirmation.</summary>
    Processing,

    /// <summary><c>success</c>.</summary>
    Success,

    /// <summary><c>failed</c>.</summary>
    Failed,

    /// <summary><c>expired</c>.</summary>
    Expired,

    /// <summary><c>cancelled</c>.</summary>
    Cancelled,
}
