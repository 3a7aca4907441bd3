namespace Portal.Core.Checkout;

/// <summary>
/// One customer checkout: a buy, sell or swap intent and the single 0Gate session bound to it.
/// Status only moves through <see cref="AttemptStateMachine"/>; the store applies each move as a
/// conditional update so that concurrent writers cannot both win.
/// </summary>
public sealed class CheckoutAttempt
{
    private CheckoutAttempt()
    {
        Id = string.Empty;
        AccountId = string.Empty;
        Currency = string.Empty;
    }

    public CheckoutAttempt(
        string accountId,
        CheckoutFlow flow,
        decimal amount,
        string currency,
        string? targetToken,
        string? targetNetwork,
        string? walletAddress,
        DateTimeOffset createdAt,
        Guid? startToken = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amount);
        ArgumentException.ThrowIfNullOrWhiteSpace(currency);

        Id = AttemptId.New();
        AccountId = accountId;
        Flow = flow;
        Amount = amount;
        Currency = currency;
        TargetToken = targetToken;
        TargetNetwork = targetNetwork;
        WalletAddress = walletAddress;
        Status = AttemptStatus.PendingSession;
        CreatedAt = createdAt;
        UpdatedAt = createdAt;
        StartToken = startToken;
    }

    public string Id { get; private set; }

    /// <summary>The owner: the identity provider's <c>sub</c> claim.</summary>
    public string AccountId { get; private set; }

    public CheckoutFlow Flow { get; private set; }

    /// <summary>The value bound to the 0Gate session. Buy and sell: fiat. Swap: amount of the source token.</summary>
    public decimal Amount { get; private set; }

    /// <summary>Buy and sell: the fiat currency. Swap: the source token.</summary>
    public string Currency { get; private set; }

    /// <summary>Buy: token to receive. Sell: token to sell. Swap: token to receive.</summary>
    public string? TargetToken { get; private set; }

    public string? TargetNetwork { get; private set; }

    public string? WalletAddress { get; private set; }

    public AttemptStatus Status { get; private set; }

    public string? GateSessionId { get; private set; }

    public string? TxRefId { get; private set; }

    /// <summary>The event id that closed the attempt, when a webhook closed it.</summary>
    public string? ClosedByEventId { get; private set; }

    /// <summary>Set when something arrived that conflicts with the final state (support should look).</summary>
    public bool NeedsReview { get; private set; }

    /// <summary>
    /// The start form's one-time token: a double-submitted form finds the attempt it already created
    /// (unique per account) instead of opening a second checkout.
    /// </summary>
    public Guid? StartToken { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }

    /// <summary>The <c>Idempotency-Key</c> for creating this attempt's 0Gate session: retries reuse it.</summary>
    public Guid SessionIdempotencyKey => DeriveIdempotencyKey(Id);

    public bool IsTerminal => Status.IsTerminal();

    private static Guid DeriveIdempotencyKey(string attemptId)
    {
        // A stable UUID per attempt (0Gate wants a UUID): the first 16 bytes of SHA-256("gate-session:" + id).
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("gate-session:" + attemptId));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50); // version 5-style marker
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
