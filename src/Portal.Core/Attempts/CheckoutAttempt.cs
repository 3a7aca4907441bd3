namespace Portal.Core.Attempts;

/// <summary>
/// One customer checkout: a buy, sell or swap intent and the single 0Gate session bound to it. The aggregate:
/// its state changes only through the guarded methods below, which consult <see cref="AttemptStateMachine"/> and
/// produce the attempt's timeline entries. <see cref="Status"/> (and <see cref="NeedsReview"/>) are concurrency
/// tokens, so saving a change is <c>UPDATE … WHERE status = @original</c>: of two writers that read the same state,
/// one wins and the other reads again and finds the attempt already changed.
/// </summary>
public sealed class CheckoutAttempt
{
    private readonly List<TimelineEntry> _newEntries = [];

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
        Guid? startToken = null,
        SessionTarget? sessionTarget = null)
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
        if (sessionTarget is not null)
        {
            // Stored now, so every try at creating the session sends the same body (same Idempotency-Key, same request)
            // and support can read what 0Gate was given.
            GateEnvironment = sessionTarget.Environment;
            ReturnUrl = CheckoutUrls.Return(sessionTarget.PortalBase, Id);
            CancelUrl = CheckoutUrls.Cancel(sessionTarget.PortalBase, Id);
        }

        _newEntries.Add(new TimelineEntry(Id, TimelineKind.StateChanged, $"created as {AttemptStatus.PendingSession.ToWire()} ({flow.ToWire()})", createdAt)
        {
            ToStatus = AttemptStatus.PendingSession,
        });
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

    /// <summary>What closed the attempt (a webhook, a session read, the cancel response, a refusal).</summary>
    public AttemptCloser? ClosedBy { get; private set; }

    /// <summary>The event id that closed the attempt, when a webhook closed it.</summary>
    public string? ClosedByEventId { get; private set; }

    /// <summary>Set when something arrived that conflicts with the final state (support should look).</summary>
    public bool NeedsReview { get; private set; }

    /// <summary>When 0Gate will expire the session if nobody finishes it (from the create response).</summary>
    public DateTimeOffset? SessionExpiresAt { get; private set; }

    /// <summary>When the stuck-attempt sweeper may read this open attempt's session again (it backs off while 0Gate says "open").</summary>
    public DateTimeOffset? NextSweepAt { get; private set; }

    /// <summary>When 0Gate's receipt for this (fulfilled) attempt was stored.</summary>
    public DateTimeOffset? ReceiptStoredAt { get; private set; }

    /// <summary>When 0Gate last said (<c>kyc.required</c>) the customer must verify their identity to go on.</summary>
    public DateTimeOffset? VerificationRequiredAt { get; private set; }

    /// <summary>
    /// The start form's one-time token: a double-submitted form finds the attempt it already created
    /// (unique per account) instead of opening a second checkout.
    /// </summary>
    public Guid? StartToken { get; private set; }

    /// <summary><c>test</c> or <c>live</c>: the 0Gate environment (secret key) the attempt was created under. Null on attempts older than this column.</summary>
    public string? GateEnvironment { get; private set; }

    /// <summary>The <c>return_url</c> sent to 0Gate for this attempt's session. Null on attempts older than this column.</summary>
    public string? ReturnUrl { get; private set; }

    /// <summary>The <c>cancel_url</c> sent to 0Gate for this attempt's session. Null on attempts older than this column.</summary>
    public string? CancelUrl { get; private set; }

    /// <summary>
    /// Where the outcome emails go: the customer's OpenID <c>email</c> claim when they started the attempt (null: no
    /// claim, no email). Stored with the attempt so the email job needs no signed-in user; never sent to 0Gate.
    /// </summary>
    public string? CustomerEmail { get; private set; }

    /// <summary>The <c>user_reference</c> sent to 0Gate: the attempt id, never an email or other personal data.</summary>
    public string UserReference => Id;

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }

    /// <summary>The <c>Idempotency-Key</c> for creating this attempt's 0Gate session: retries reuse it.</summary>
    public Guid SessionIdempotencyKey => DeriveIdempotencyKey(Id);

    public bool IsTerminal => Status.IsTerminal();

    /// <summary>Records where to email this attempt's outcome; only while it is being created.</summary>
    public void NotifyByEmail(string? address)
    {
        if (Status == AttemptStatus.PendingSession && GateSessionId is null)
        {
            CustomerEmail = string.IsNullOrWhiteSpace(address) ? null : address.Trim();
        }
    }

    /// <summary>Open and waiting for the customer inside 0Gate because 0Gate asked for identity verification.</summary>
    public bool AwaitsVerification => !IsTerminal && VerificationRequiredAt is not null;

    /// <summary>Timeline entries produced since this instance was created or loaded; stored with the change that made them.</summary>
    public IReadOnlyList<TimelineEntry> NewTimelineEntries => _newEntries;

    internal void ClearNewTimelineEntries() => _newEntries.Clear();

    /// <summary>Adds a line about this attempt (an event seen, a 0Gate call) after the entries its changes produced.</summary>
    public void Record(TimelineEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.AttemptId != Id)
        {
            throw new ArgumentException($"The entry belongs to {entry.AttemptId}, not {Id}.", nameof(entry));
        }

        _newEntries.Add(entry);
    }

    /// <summary>
    /// Binds the 0Gate session and moves <c>pending_session → requires_action</c>. The same session again (a retried
    /// start, or the signed <c>gate_session.created</c> after the create response) changes nothing.
    /// </summary>
    public ChangeOutcome AttachSession(string sessionId, DateTimeOffset at, string cause, DateTimeOffset? sessionExpiresAt = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sessionId);
        if (GateSessionId is not null && GateSessionId != sessionId)
        {
            // One attempt, one session: a second one is a bug or a forgery worth a look, never a rebind.
            FlagConflict(at, $"0Gate session {sessionId} not attached: the attempt is bound to {GateSessionId}; flagged for support");
            return ChangeOutcome.Conflict;
        }

        if (GateSessionId is null)
        {
            GateSessionId = sessionId;
            UpdatedAt = at;
        }

        SessionExpiresAt ??= sessionExpiresAt;

        return Status == AttemptStatus.PendingSession ? MoveTo(AttemptStatus.RequiresAction, at, cause) : ChangeOutcome.Unchanged;
    }

    /// <summary>The customer came back from the hosted flow: <c>requires_action → processing</c>. Money still waits for 0Gate.</summary>
    public ChangeOutcome MarkReturned(DateTimeOffset at) =>
        Status == AttemptStatus.RequiresAction ? MoveTo(AttemptStatus.Processing, at, "customer returned from the hosted flow") : ChangeOutcome.Unchanged;

    /// <summary>
    /// Closes the attempt with a terminal <paramref name="outcome"/>. A second close with the same outcome changes
    /// nothing (<see cref="ChangeOutcome.AlreadyClosed"/>); one with another outcome is refused
    /// (<see cref="ChangeOutcome.Conflict"/>): terminal states never change, the caller records and flags it.
    /// </summary>
    public ChangeOutcome Close(AttemptStatus outcome, CloseCause cause, DateTimeOffset at)
    {
        if (!outcome.IsTerminal())
        {
            throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Only a terminal status closes an attempt.");
        }

        if (IsTerminal)
        {
            return Status == outcome ? ChangeOutcome.AlreadyClosed : ChangeOutcome.Conflict;
        }

        var moved = MoveTo(outcome, at, cause.Description);
        ClosedAt = at;
        NextSweepAt = null;
        ClosedBy = cause.Closer;
        ClosedByEventId = cause.EventId;
        if (outcome == AttemptStatus.Fulfilled && cause.TxRefId is { Length: > 0 } refid)
        {
            TxRefId = refid;
        }

        return moved;
    }

    /// <summary>
    /// Something arrived that contradicts the attempt's state: support should look. Nothing is applied. The caller
    /// records what arrived (an ignored event); <paramref name="note"/> adds a line of its own where there is none.
    /// </summary>
    public void FlagConflict(DateTimeOffset at, string? note = null)
    {
        NeedsReview = true;
        UpdatedAt = at;
        if (note is not null)
        {
            _newEntries.Add(new TimelineEntry(Id, TimelineKind.Note, Clip(note, 500), at));
        }
    }

    /// <summary>Support checked the conflict. <see cref="ChangeOutcome.Unchanged"/> when a colleague was quicker.</summary>
    public ChangeOutcome ResolveReview(string staffName, string? note, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(staffName);
        if (!NeedsReview)
        {
            return ChangeOutcome.Unchanged;
        }

        // UpdatedAt is left alone on purpose: "stuck" measures progress of the checkout, not staff activity.
        NeedsReview = false;
        var detail = string.IsNullOrWhiteSpace(note) ? string.Empty : $": {Clip(note.Trim(), 300)}";
        _newEntries.Add(new TimelineEntry(Id, TimelineKind.Note, $"Review resolved by {Clip(staffName, 100)}{detail}", at));
        return ChangeOutcome.Moved;
    }

    /// <summary>The receipt is stored: pages showing the attempt hear of it like of any other change.</summary>
    public void NoteReceiptStored(DateTimeOffset at) => ReceiptStoredAt ??= at;

    /// <summary>The sweeper read the session and it is still open: look again no sooner than <paramref name="next"/>.</summary>
    public void ScheduleSweep(DateTimeOffset next)
    {
        // UpdatedAt is left alone: a read that changed nothing is no progress of the checkout.
        NextSweepAt = IsTerminal ? null : next;
    }

    /// <summary>0Gate paused the flow for identity verification (<c>kyc.required</c>); the customer continues inside 0Gate.</summary>
    public ChangeOutcome NoteVerificationRequired(DateTimeOffset at)
    {
        if (IsTerminal)
        {
            return ChangeOutcome.Unchanged;
        }

        VerificationRequiredAt = at;
        UpdatedAt = at;
        return ChangeOutcome.Moved;
    }

    private ChangeOutcome MoveTo(AttemptStatus to, DateTimeOffset at, string cause)
    {
        if (!AttemptStateMachine.CanTransition(Status, to))
        {
            return ChangeOutcome.Unchanged;
        }

        // The from-state is the one this save is conditional on, so the timeline can never show a stale one.
        _newEntries.Add(TimelineEntry.StateChange(Id, Status, to, cause, at));
        Status = to;
        UpdatedAt = at;
        return ChangeOutcome.Moved;
    }

    private static string Clip(string value, int length) => value.Length <= length ? value : value[..length];

    private static Guid DeriveIdempotencyKey(string attemptId)
    {
        // A stable UUID per attempt (0Gate wants a UUID): the first 16 bytes of SHA-256("gate-session:" + id).
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("gate-session:" + attemptId));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50); // version 5-style marker
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
