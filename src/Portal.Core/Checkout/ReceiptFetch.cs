
namespace Portal.Core.Checkout;

/// <summary>What a receipt fetch did.</summary>
public enum ReceiptFetch
{
    /// <summary>Read from 0Gate and stored.</summary>
    Stored,

    /// <summary>The attempt already has its receipt: nothing was read.</summary>
    AlreadyStored,

    /// <summary>The attempt is not fulfilled (or has no transaction reference): there is nothing to read.</summary>
    NothingToFetch,
}
