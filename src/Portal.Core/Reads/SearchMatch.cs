namespace Portal.Core.Reads;

/// <summary>Which id a support search matched.</summary>
public enum SearchMatch
{
    AttemptId,
    GateSessionId,
    TxRefId,
    EventId,
    AccountId,

    /// <summary>The receipt's wallet (a buy's destination, a swap's wallet).</summary>
    WalletAddress,

    /// <summary>The receipt's on-chain transaction hash.</summary>
    TransactionHash,

    /// <summary>The receipt's local-rail transaction id (PIX, SPEI, PSE).</summary>
    LocalRailTransactionId,
}
