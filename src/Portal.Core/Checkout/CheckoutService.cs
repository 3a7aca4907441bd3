using Microsoft.Extensions.Options;
using Portal.Core.Gate;

namespace Portal.Core.Checkout;

public sealed record CheckoutStartResult(CheckoutAttempt? Attempt, IReadOnlyDictionary<string, string> Errors, string? Problem)
{
    public bool Succeeded => Attempt is { GateSessionId: not null } && Problem is null && Errors.Count == 0;
}

/// <summary>The hosted flow to mount: the iframe URL carries the client secret in its fragment only.</summary>
public sealed record HostedCheckout(string AttemptId, Uri FrameUrl, string HostedOrigin)
{
    public override string ToString() => $"HostedCheckout({AttemptId})";
}

/// <summary>
/// The customer journey against 0Gate: start (attempt + session, locked server-side), mount the
/// hosted flow, browser return, cancel, and reconciliation from a server-side session read.
/// The browser never decides a money state: only signed webhooks and the reads here do.
/// </summary>
public sealed class CheckoutService(
    CheckoutAttempts attempts,
    GateClient gate,
    GateCapabilitiesCache capabilities,
    IOptions<GateOptions> gateOptions,
    TimeProvider time,
    ILogger<CheckoutService> logger)
{
    public const string GateUnavailable = "We couldn't reach the checkout provider just now. Nothing was charged. Please try again in a moment.";
    public const string GateRefused = "This checkout could not be started. Please check the details or contact support.";
    public const string PathUnavailable = "This kind of checkout is not available right now. Please try again later or choose another.";

    public async Task<CheckoutStartResult> StartAsync(string accountId, StartCheckout form, Uri portalBase, CancellationToken cancellationToken)
    {
        var errors = StartCheckoutRules.Validate(form, await capabilities.GetAsync(cancellationToken));
        if (errors.Count > 0)
        {
            return new(null, errors, null);
        }

        var attempt = await attempts.CreateAsync(
            new NewAttempt(accountId, form.Flow, form.Amount!.Value, form.Currency!, form.TargetToken, form.TargetNetwork,
                string.IsNullOrWhiteSpace(form.WalletAddress) ? null : form.WalletAddress.Trim(), form.StartToken),
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
            ReturnUrl: new Uri(portalBase, $"checkout/{attempt.Id}/return").ToString(),
            CancelUrl: new Uri(portalBase, $"checkout/{attempt.Id}/cancel").ToString(),
            UserReference: attempt.Id,
            TargetToken: attempt.TargetToken,
            TargetNetwork: attempt.TargetNetwork,
            WalletAddress: attempt.WalletAddress);
        try
        {
            var created = await gate.CreateSessionAsync(request, attempt.SessionIdempotencyKey, cancellationToken);
            var attached = await attempts.AttachSessionAsync(attempt.Id, created.Value.Id, created.RequestId, cancellationToken);
            return new(attached, new Dictionary<string, string>(), null);
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

            // The same request would be refused again: close this attempt; the customer starts a new one.
            var (_, closed) = await attempts.MoveAsync(attempt.Id, AttemptStatus.Failed, $"0Gate refused the session ({ex.Code})", cancellationToken);
            if (ex.Code == "capability_unavailable")
            {
                capabilities.Invalidate(); // 0Gate switched this path off: the form shows it as unavailable now
                return new(closed, new Dictionary<string, string>(), PathUnavailable);
            }

            return new(closed, new Dictionary<string, string>(), GateRefused);
        }
    }

    /// <summary>
    /// The hosted flow for an attempt that still needs the customer, re-read from 0Gate each time so a
    /// reload re-mounts the same session. A session 0Gate has closed is reconciled and never mounted.
    /// </summary>
    public async Task<HostedCheckout?> GetHostedCheckoutAsync(CheckoutAttempt attempt, CancellationToken cancellationToken)
    {
        if (attempt.Status != AttemptStatus.RequiresAction || attempt.GateSessionId is null)
        {
            return null;
        }

        var session = await gate.GetSessionAsync(attempt.GateSessionId, cancellationToken);
        if (!session.Value.IsOpen || string.IsNullOrEmpty(session.Value.ClientSecret))
        {
            await ApplySessionStateAsync(attempt.Id, session.Value, "0Gate session read on mount", cancellationToken);
            return null;
        }

        var options = gateOptions.Value;
        var frame = new UriBuilder(new Uri(options.HostedBaseUrl, "embed"))
        {
            Query = "pk=" + Uri.EscapeDataString(options.PublishableKey),
            Fragment = "client_secret=" + Uri.EscapeDataString(session.Value.ClientSecret),
        };
        return new(attempt.Id, frame.Uri, options.HostedOrigin);
    }

    /// <summary>The browser came back from the hosted flow: show processing; money state still waits for 0Gate.</summary>
    public async Task<CheckoutAttempt?> MarkReturnedAsync(CheckoutAttempt attempt, CancellationToken cancellationToken)
    {
        if (attempt.Status != AttemptStatus.RequiresAction)
        {
            return attempt;
        }

        var (_, current) = await attempts.MoveAsync(attempt.Id, AttemptStatus.Processing, "customer returned from the hosted flow", cancellationToken);
        return current;
    }

    /// <summary>
    /// Cancel policy: the 0Gate session is cancelled server-side and the attempt closes from that
    /// trusted answer (or the webhook, whichever commits first). If 0Gate says the session already
    /// closed another way, the attempt follows what 0Gate reports instead.
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
            return (await attempts.MoveAsync(attempt.Id, AttemptStatus.Cancelled, "cancelled before a 0Gate session existed", cancellationToken)).Attempt;
        }

        try
        {
            var cancelled = await gate.CancelSessionAsync(attempt.GateSessionId, cancellationToken);
            await RecordGateCallAsync(attempt.Id, "0Gate session cancelled at the customer's request", cancelled.RequestId, attempt.GateSessionId, cancellationToken);
            return await ApplySessionStateAsync(attempt.Id, cancelled.Value, "0Gate cancel response", cancellationToken);
        }
        catch (GateApiException ex) when (!ex.IsTransient)
        {
            // Typically 409: already completed, failed or expired. Follow 0Gate's own record.
            await RecordGateFailureAsync(attempt.Id, "0Gate refused the cancel", ex, cancellationToken);
            return await ReconcileAsync(attempt, "after a refused cancel", cancellationToken);
        }
    }

    /// <summary>Reads the session from 0Gate and applies what it says (support's "reconcile", mounts, refused cancels).</summary>
    public async Task<CheckoutAttempt?> ReconcileAsync(CheckoutAttempt attempt, string reason, CancellationToken cancellationToken)
    {
        if (attempt.GateSessionId is null)
        {
            return attempt;
        }

        var session = await gate.GetSessionAsync(attempt.GateSessionId, cancellationToken);
        await RecordGateCallAsync(attempt.Id, $"0Gate session read ({reason}): {session.Value.Status}", session.RequestId, attempt.GateSessionId, cancellationToken);
        return await ApplySessionStateAsync(attempt.Id, session.Value, $"reconciled from 0Gate ({reason})", cancellationToken);
    }

    private async Task<CheckoutAttempt?> ApplySessionStateAsync(string attemptId, GateSession session, string cause, CancellationToken cancellationToken)
    {
        AttemptStatus? target = session.Status switch
        {
            "completed" => AttemptStatus.Fulfilled,
            "failed" => AttemptStatus.Failed,
            "expired" => AttemptStatus.Expired,
            "cancelled" => AttemptStatus.Cancelled,
            _ => null,
        };
        if (target is null)
        {
            return await attempts.GetAsync(attemptId, cancellationToken);
        }

        return (await attempts.MoveAsync(attemptId, target.Value, cause, cancellationToken, txRefId: session.TxRefid)).Attempt;
    }

    private Task RecordGateCallAsync(string attemptId, string summary, string? requestId, string? sessionId, CancellationToken cancellationToken) =>
        attempts.RecordAsync(new TimelineEntry(attemptId, TimelineKind.GateRequest, summary, time.GetUtcNow())
        {
            GateRequestId = requestId,
            GateSessionId = sessionId,
        }, cancellationToken);

    private Task RecordGateFailureAsync(string attemptId, string summary, GateApiException ex, CancellationToken cancellationToken) =>
        RecordGateCallAsync(attemptId, $"{summary}: {(ex.Status is null ? "unreachable" : ((int)ex.Status).ToString(System.Globalization.CultureInfo.InvariantCulture))} {ex.Code}".TrimEnd(), ex.RequestId, null, cancellationToken);
}
