using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Gate.Sandbox.Partner;
using Gate.Sandbox.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gate.Sandbox.Webhooks;

/// <summary>
/// Delivers persisted events at least once: signed POSTs to the partner's webhook URL, retried with
/// exponential backoff on non-2xx or timeout, bounded attempts. Woken by <see cref="DeliveryWakeup"/>
/// and otherwise sleeps (on the injected clock) until the next retry is due.
/// </summary>
public sealed partial class WebhookDeliverer(
    SandboxStore store,
    DeliveryWakeup wakeup,
    WebhookBehavior behavior,
    PartnerState partner,
    IHttpClientFactory httpClients,
    IOptions<SandboxOptions> options,
    TimeProvider time,
    ILogger<WebhookDeliverer> logger) : BackgroundService
{
    public const string HttpClientName = "gate-sandbox-webhooks";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan? sleep;
            try
            {
                sleep = await DeliverDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Keep delivering: a store hiccup must not stop at-least-once delivery for good.
                LogLoopFailed(logger, ex);
                sleep = TimeSpan.FromSeconds(1);
            }

            try
            {
                await wakeup.WaitAsync(sleep, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Sends everything due now; returns how long to sleep until the next due delivery (null: until woken).</summary>
    private async Task<TimeSpan?> DeliverDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var due = await store.RunAsync(db => db.Deliveries.AsNoTracking()
            .Where(d => d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= now)
            .OrderBy(d => d.Sequence)
            .ToListAsync(cancellationToken), cancellationToken);

        var settings = behavior.Current;
        long? heldUntil = null;
        var toSend = due;
        if (settings.ReorderBatchSize > 1)
        {
            var fresh = due.Where(d => d.Attempts == 0).ToList();
            var retries = due.Where(d => d.Attempts > 0);
            var releaseAt = fresh.Count > 0 ? fresh.Min(d => d.NextAttemptAt!.Value) + settings.ReorderMaxHoldMs : 0;
            if (fresh.Count > 0 && fresh.Count < settings.ReorderBatchSize && now < releaseAt)
            {
                heldUntil = releaseAt;
                fresh.Clear();
            }

            fresh.Reverse();
            toSend = [.. retries, .. fresh];
        }

        foreach (var delivery in toSend)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await AttemptAsync(delivery, cancellationToken);
        }

        var next = await store.RunAsync(db => db.Deliveries.AsNoTracking()
            .Where(d => d.Status == DeliveryStatus.Pending && d.NextAttemptAt != null)
            .OrderBy(d => d.NextAttemptAt)
            .Select(d => d.NextAttemptAt)
            .FirstOrDefaultAsync(cancellationToken), cancellationToken);

        if (heldUntil is { } h && (next is null || next <= now || h < next))
        {
            next = h;
        }

        return next is { } n ? TimeSpan.FromMilliseconds(Math.Max(0, n - time.GetUtcNow().ToUnixTimeMilliseconds())) : null;
    }

    private async Task AttemptAsync(DeliveryRecord delivery, CancellationToken cancellationToken)
    {
        var attempt = delivery.Attempts + 1;
        var (status, error) = await SendAsync(delivery, cancellationToken);
        var now = time.GetUtcNow();
        var succeeded = status is >= 200 and < 300;
        long? nextRetry = null;
        if (!succeeded && attempt < options.Value.Webhooks.MaxAttempts)
        {
            nextRetry = now.Add(Backoff(attempt)).ToUnixTimeMilliseconds();
        }

        await store.RunAsync(async db =>
        {
            var row = await db.Deliveries.SingleAsync(d => d.Sequence == delivery.Sequence, cancellationToken);
            row.Attempts = attempt;
            row.LastHttpStatus = status;
            row.LastError = error;
            row.NextAttemptAt = nextRetry;
            row.Status = succeeded ? DeliveryStatus.Succeeded : nextRetry is null ? DeliveryStatus.Failed : DeliveryStatus.Pending;
            row.DeliveredAt = succeeded ? now.ToUnixTimeMilliseconds() : null;
            db.DeliveryAttempts.Add(new DeliveryAttemptRecord
            {
                DeliveryId = delivery.Id,
                Attempt = attempt,
                HttpStatus = status,
                Error = error,
                AttemptedAt = now.ToUnixTimeMilliseconds(),
                NextRetryAt = nextRetry,
            });
            return await db.SaveChangesAsync(cancellationToken);
        }, cancellationToken);

        LogAttempt(logger, delivery.EventId, delivery.EventType, attempt, status, error ?? "");
    }

    private TimeSpan Backoff(int attempt)
    {
        var o = options.Value.Webhooks;
        var factor = Math.Pow(2, Math.Min(attempt - 1, 30));
        var delay = TimeSpan.FromMilliseconds(o.RetryBaseDelay.TotalMilliseconds * factor);
        return delay < o.RetryMaxDelay ? delay : o.RetryMaxDelay;
    }

    private async Task<(int? Status, string? Error)> SendAsync(DeliveryRecord delivery, CancellationToken cancellationToken)
    {
        if (behavior.TryTakeSimulatedFailure())
        {
            return (StatusCodes.Status500InternalServerError, "simulated failure (fail_first); nothing was sent");
        }

        var url = partner.Settings.WebhookUrl;
        if (url is null)
        {
            return (null, "no webhook_url configured for the partner");
        }

        var body = Encoding.UTF8.GetBytes(delivery.Body);
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, url);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation(WebhookSigner.HeaderName, WebhookSigner.SignatureHeader(partner.WebhookSecret, timestamp, body));
        request.Headers.TryAddWithoutValidation("X-0bit-Event-Id", delivery.EventId);
        request.Headers.TryAddWithoutValidation("X-0bit-Event-Type", delivery.EventType);
        request.Headers.TryAddWithoutValidation("X-0bit-Timestamp", timestamp.ToString(CultureInfo.InvariantCulture));

        // The timeout is wall-clock: it bounds real network I/O, not simulated time.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.Webhooks.Timeout);
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, timeout.Token);
            return ((int)response.StatusCode, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"timed out after {options.Value.Webhooks.Timeout.TotalMilliseconds} ms");
        }
        catch (HttpRequestException ex)
        {
            return (null, $"connection failed: {ex.HttpRequestError}");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {EventId} ({EventType}) attempt {Attempt}: HTTP {Status} {Error}")]
    private static partial void LogAttempt(ILogger logger, string eventId, string eventType, int attempt, int? status, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery loop failed; retrying shortly")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception);
}
