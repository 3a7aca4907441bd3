using Microsoft.Extensions.Options;
using Portal.Core.Attempts;
using Portal.Core.Gate;

namespace Portal.Core.Checkout;

/// <summary>
/// The customer journey against 0Gate: start (attempt + session, locked server-side), mount the hosted flow, the
/// browser's return, cancel, and reconciliation from a server-side session read. The browser never decides a money
/// state: only signed webhooks and the 0Gate reads and answers here do, applied through <see cref="AttemptWriter"/>.
/// </summary>
public sealed class CheckoutService(
    AttemptWriter writer,
    Limits.UserActionLimits limits,
    GateClient gate,
    GateCapabilitiesCache capabilities,
    CheckoutPreflight preflight,
    IOptions<GateOptions> gateOptions,
    IOptions<Email.EmailOptions> emailOptions,
    TimeProvider time,
    ILogger<CheckoutService> logger)
{
    public const string GateUnavailable = "We couldn't reach the checkout provider just now. Nothing was charged. Please try again in a moment.";
    public const string GateRefused = "This checkout could not be started. Please check the details or contact support.";
    public const string PathUnavailable = "This kind of checkout is not available right now. Please try again later or choose another.";
    public const string TooManyStarts = "You have started several checkouts in the last minute. Please wait a moment before starting another.";

    /// <param name="customerEmail">The customer's <c>email</c> claim: kept with the attempt for its outcome emails, only when email is on.</param>
    public async Task<CheckoutStartResult> StartAsync(string accountId, StartCheckout form, Uri portalBase, CancellationToken cancellationToken, string? customerEmail = null)
    {
        var allowed = await capabilities.GetAsync(cancellationToken);
        var errors = StartCheckoutRules.Validate(form, allowed);
        if (errors.Count > 0 || !StartCheckoutRules.TryParseAmount(form.Amount, form.Flow, out var amount, out _, allowed.AssetFor(form.Currency)))
        {
            return new(null, errors, null);
        }

        if (!limits.TryStartCheckout(accountId))
        {
            return new(null, errors, TooManyStarts);
        }

        // Refused before anything exists: no attempt in the customer's history, no 0Gate session counted.
        if (await preflight.CheckAsync(portalBase, cancellationToken) is { } refusal)
        {
            return new(null, errors, refusal.Message);
        }

        var attempt = await writer.CreateAsync(
            new NewAttempt(accountId, form.Flow, amount, form.Currency!, form.TargetToken, form.TargetNetwork,
                string.IsNullOrWhiteSpace(form.WalletAddress) ? null : form.WalletAddress.Trim(), form.StartToken,
                new SessionTarget(gateOptions.Value.Environment, portalBase),
                emailOptions.Value.Enabled ? customerEmail : null),
            cancellationToken);
        return await OpenSessionAsync(attempt, portalBase, cancellationToken);
    }

    /// <summary>
    /// Creates the 0Gate session for an attempt that has none (first try or "Try again"): the same
    /// <c>Idempotency-Key</c> every time, so retries can never open a second session.
    /// </summary>
    public async Task<CheckoutStartResult> OpenSessionAsync(CheckoutAttempt attempt, Uri portalBase, CancellationToken cancellationToken)
    {
        if (attempt.GateSessionId is not null || attempt.IsTerminal)
        {
            return new(attempt, new Dictionary<string, string>(), null);
        }

        var request = new CreateGateSession(
            Amount: attempt.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Currency: attempt.Currency,
            Flow: attempt.Flow.ToWire(),
            // The URLs stored at creation: a retry sends the very same body under the same Idempotency-Key.
            ReturnUrl: attempt.ReturnUrl ?? CheckoutUrls.Return(portalBase, attempt.Id),
            CancelUrl: attempt.CancelUrl ?? CheckoutUrls.Cancel(portalBase, attempt.Id),
            UserReference: attempt.UserReference,
            TargetToken: attempt.TargetToken,
            TargetNetwork: attempt.TargetNetwork,
            WalletAddress: attempt.WalletAddress);
        try
        {
            var created = await gate.CreateSessionAsync(request, attempt.SessionIdempotencyKey, cancellationToken);
            var attached = await writer.AttachSessionAsync(attempt.Id, created.Value.Id, created.RequestId, cancellationToken, ExpiryOf(created.Value));
            return new(attached.Attempt, new Dictionary<string, string>(), null);
        }
        catch (GateApiException ex)
        {
            logger.LogWarning("Creating the 0Gate session for {AttemptId} failed: {Status} {Code} (request {RequestId})", attempt.Id, (int?)ex.Status, ex.Code, ex.RequestId);
            await RecordGateFailureAsync(attempt.Id, "Creating the 0Gate session failed", ex, cancellationToken);
            if (ex.IsTransient)
            {
                // The attempt stays pending_session; "Try again" repeats the same idempotency key.
                return new(attempt, new Dictionary<string, string>(), GateUnavailable);
            }

            // The same request would be refused again: close this attempt, never leave it half-started.
            var closed = await writer.UpdateAsync(attempt.Id, (a, now) =>
                a.Close(AttemptStatus.Failed, new CloseCause(AttemptCloser.Refusal, $"0Gate refused the session ({ex.Code ?? "error"})"), now), cancellationToken);
            if (ex.Code == GateApiException.CapabilityUnavailable)
            {
                capabilities.Invalidate(); // 0Gate switched this path off: the form shows it as unavailable now
            }

            preflight.Invalidate(); // e.g. the quota: the next start reads it afresh and is refused before an attempt

            return new(closed.Attempt, new Dictionary<string, string>(), ex.PathUnavailable ? PathUnavailable : GateRefused);
        }
    }

    /// <summary>
    /// The hosted flow for an open attempt, re-read from 0Gate each time so a reload re-mounts the same session, and
    /// a customer who came back early can continue while 0Gate keeps the session open. A session 0Gate has closed is
    /// applied (a trusted server-side read) and never mounted.
    /// </summary>
    public Task<HostedCheckout?> GetHostedCheckoutAsync(CheckoutAttempt attempt, CancellationToken cancellationToken) =>
        attempt.IsTerminal || attempt.GateSessionId is null
            ? Task.FromResult<HostedCheckout?>(null)
            : GetHostedCheckoutAsync(attempt.Id, attempt.GateSessionId, cancellationToken);

    /// <summary>
    /// The same, for an open attempt known by its ids (a page holding what it already read of the attempt): whatever
    /// happened since, 0Gate's answer decides, and a closed session is applied and never mounted.
    /// </summary>
    public async Task<HostedCheckout?> GetHostedCheckoutAsync(string attemptId, string gateSessionId, CancellationToken cancellationToken)
    {
        var read = await gate.GetSessionAsync(gateSessionId, cancellationToken);
        if (!read.Value.IsOpen || string.IsNullOrEmpty(read.Value.ClientSecret))
        {
            await writer.ApplySessionAsync(attemptId, read, new CloseCause(AttemptCloser.SessionRead, "0Gate session read on mount"), cancellationToken);
            return null;
        }

        var options = gateOptions.Value;
        var frame = new UriBuilder(new Uri(options.HostedBaseUrl, "embed"))
        {
            Query = "pk=" + Uri.EscapeDataString(options.PublishableKey),
            Fragment = "client_secret=" + Uri.EscapeDataString(read.Value.ClientSecret),
        };
        return new(attemptId, frame.Uri, options.HostedOrigin);
    }

    /// <summary>
    /// The owner's hosted flow reported completion (an action in their circuit, never a page view): show processing;
    /// money state still waits for 0Gate.
    /// </summary>
    public async Task<CheckoutAttempt?> MarkReturnedAsync(CheckoutAttempt attempt, CancellationToken cancellationToken) =>
        (await writer.UpdateAsync(attempt.Id, (a, now) => a.MarkReturned(now), cancellationToken)).Attempt;

    /// <summary>
    /// The customer's "Cancel this checkout" (a confirmed POST): the 0Gate session is cancelled server-side and the
    /// attempt closes from that trusted answer (or the webhook, whichever commits first). If 0Gate says the session
    /// already closed another way, the attempt follows what 0Gate reports instead.
    /// </summary>
    public async Task<CheckoutAttempt?> CancelAsync(CheckoutAttempt attempt, CancellationToken cancellationToken)
    {
        if (attempt.IsTerminal)
        {
            return attempt;
        }

        if (attempt.GateSessionId is null)
        {
            // No 0Gate session was ever attached: nothing can be paid, so the attempt closes here.
            return (await writer.UpdateAsync(attempt.Id, (a, now) =>
                a.Close(AttemptStatus.Cancelled, new CloseCause(AttemptCloser.Customer, "cancelled before a 0Gate session existed"), now), cancellationToken)).Attempt;
        }

        return await CancelSessionAsync(attempt, "at the customer's request", cancellationToken);
    }

    /// <summary>
    /// Cancels the attempt's 0Gate session server-side and applies 0Gate's answer through <see cref="AttemptWriter"/>
    /// (the customer's confirmed cancel, support's "Cancel session"). If 0Gate refuses because the session already
    /// closed another way, the attempt follows a fresh read of the session instead. A 0Gate that cannot be reached
    /// throws <see cref="GateApiException"/>: nothing changed.
    /// </summary>
    /// <param name="requestedBy">For the timeline: "at the customer's request", "by Sam in support".</param>
    /// <param name="audit">For a staff action: its note and audit entry, committed with the resulting change.</param>
    public async Task<CheckoutAttempt?> CancelSessionAsync(CheckoutAttempt attempt, string requestedBy, CancellationToken cancellationToken, StaffAudit? audit = null)
    {
        if (attempt.IsTerminal || attempt.GateSessionId is null)
        {
            return attempt;
        }

        try
        {
            var cancelled = await gate.CancelSessionAsync(attempt.GateSessionId, cancellationToken);
            return (await writer.ApplySessionAsync(attempt.Id, cancelled,
                new CloseCause(AttemptCloser.CancelResponse, $"0Gate session cancelled {requestedBy}"), cancellationToken, audit: audit)).Attempt;
        }
        catch (GateApiException ex) when (!ex.IsTransient)
        {
            // Typically 409: already completed, failed or expired. Follow 0Gate's own record.
            await RecordGateFailureAsync(attempt.Id, "0Gate refused the cancel", ex, cancellationToken);
            return await ReconcileAsync(attempt, "after a refused cancel", cancellationToken, audit: audit);
        }
    }

    /// <summary>
    /// Reads the session from 0Gate and applies only what it says: a closed session closes the attempt the same way,
    /// an open one changes nothing (support's "Reconcile", the cancel page, refused cancels, the sweeper).
    /// </summary>
    /// <param name="audit">For a staff action: its note and audit entry, committed with the resulting change.</param>
    public async Task<CheckoutAttempt?> ReconcileAsync(
        CheckoutAttempt attempt, string reason, CancellationToken cancellationToken, AttemptCloser closer = AttemptCloser.SessionRead, StaffAudit? audit = null)
    {
        if (attempt.GateSessionId is null)
        {
            return attempt;
        }

        return await ReconcileAsync(attempt.Id, attempt.GateSessionId, reason, cancellationToken, closer, audit);
    }

    /// <summary>
    /// <see cref="ReconcileAsync(CheckoutAttempt, string, CancellationToken, AttemptCloser, StaffAudit?)"/> by ids, for a
    /// caller that knows the attempt from a read of its own (the cancel page, from the status cache). Returns the attempt
    /// as the write left it.
    /// </summary>
    public async Task<CheckoutAttempt?> ReconcileAsync(
        string attemptId, string gateSessionId, string reason, CancellationToken cancellationToken, AttemptCloser closer = AttemptCloser.SessionRead, StaffAudit? audit = null)
    {
        var read = await gate.GetSessionAsync(gateSessionId, cancellationToken);
        return (await writer.ApplySessionAsync(attemptId, read, new CloseCause(closer, $"0Gate session read ({reason})"), cancellationToken, audit: audit)).Attempt;
    }

    /// <summary>0Gate's <c>expires_at</c> (unix seconds), kept only when it is a plausible future moment (at most 31 days away).</summary>
    private DateTimeOffset? ExpiryOf(GateSession session)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        return session.ExpiresAt is { } at && at > now && at - now <= (long)TimeSpan.FromDays(31).TotalSeconds
            ? DateTimeOffset.FromUnixTimeSeconds(at)
            : null;
    }

    private Task RecordGateFailureAsync(string attemptId, string summary, GateApiException ex, CancellationToken cancellationToken) =>
        writer.RecordAsync(new TimelineEntry(attemptId, TimelineKind.GateRequest,
            $"{summary}: {(ex.Status is null ? "unreachable" : ((int)ex.Status).ToString(System.Globalization.CultureInfo.InvariantCulture))} {ex.Code}".TrimEnd(), time.GetUtcNow())
        {
            GateRequestId = ex.RequestId,
        }, cancellationToken);
}
