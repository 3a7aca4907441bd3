namespace Portal.Core.Records;

/// <summary>What an outcome email tells the customer.</summary>
public enum EmailOccasion
{
    Fulfilled,
    Failed,
    Expired,
    Cancelled,
    VerificationRequired,
}
