using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace Portal.Core.Gate;

/// <summary>
/// The 0Gate API over HTTP (live 0Gate or the sandbox alike). Authenticated with the secret key,
/// which stays in this class's default headers. Transient failures are retried by the resilience
/// pipeline registered with the client; session creation is safe to retry because it carries the
/// attempt's <c>Idempotency-Key</c>.
/// </summary>
public sealed class GateClient(IHttpClientFactory httpClients, IOptions<GateOptions> options, IGateCallMetrics telemetry, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public const string HttpClientName = "gate";

    public Task<GateResponse<GateSession>> CreateSessionAsync(CreateGateSession request, Guid idempotencyKey, CancellationToken cancellationToken)
    {
        var message = Request(HttpMethod.Post, "v1/gate_sessions");
        message.Headers.Add("Idempotency-Key", idempotencyKey.ToString());
        message.Content = JsonContent.Create(request, options: Json);
        return SendAsync<GateSession>("create_session", message, cancellationToken);
    }

    public Task<GateResponse<GateSession>> GetSessionAsync(string sessionId, CancellationToken cancellationToken) =>
        SendAsync<GateSession>("get_session", Request(HttpMethod.Get, $"v1/gate_sessions/{Uri.EscapeDataString(sessionId)}"), cancellationToken);

    public Task<GateResponse<GateSession>> CancelSessionAsync(string sessionId, CancellationToken cancellationToken) =>
        SendAsync<GateSession>("cancel_session", Request(HttpMethod.Post, $"v1/gate_sessions/{Uri.EscapeDataString(sessionId)}/cancel"), cancellationToken);

    public Task<GateResponse<GateCapabilities>> GetCapabilitiesAsync(CancellationToken cancellationToken) =>
        SendAsync<GateCapabilities>("capabilities", Request(HttpMethod.Get, "v1/capabilities"), cancellationToken);

    public Task<GateResponse<GateReceipt>> GetTransactionAsync(string refid, CancellationToken cancellationToken) =>
        SendAsync<GateReceipt>("transaction", Request(HttpMethod.Get, $"v1/transactions/{Uri.EscapeDataString(refid)}"), cancellationToken);

    public Task<GateResponse<GatePartner>> GetPartnerAsync(CancellationToken cancellationToken) =>
        SendAsync<GatePartner>("get_partner", Request(HttpMethod.Get, "v1/partner"), cancellationToken);

    public Task<GateResponse<GatePartner>> UpdatePartnerAsync(GatePartner partner, CancellationToken cancellationToken)
    {
        var message = Request(HttpMethod.Put, "v1/partner");
        message.Content = JsonContent.Create(partner, options: Json);
        return SendAsync<GatePartner>("update_partner", message, cancellationToken);
    }

    /// <param name="eventId">Only the deliveries of this event (<c>?event_id=</c>).</param>
    public async Task<GateResponse<IReadOnlyList<GateWebhookDelivery>>> GetWebhookDeliveriesAsync(CancellationToken cancellationToken, string? eventId = null)
    {
        var path = eventId is null ? "v1/webhook_deliveries" : $"v1/webhook_deliveries?event_id={Uri.EscapeDataString(eventId)}";
        var page = await SendAsync<DeliveryPage>("webhook_deliveries", Request(HttpMethod.Get, path), cancellationToken);
        return new(page.Value.Data ?? [], page.RequestId);
    }

    /// <summary>The partner's quota as 0Gate reports it with the partner settings; null where it reports none.</summary>
    public async Task<GateResponse<GateQuota?>> GetPartnerQuotaAsync(CancellationToken cancellationToken)
    {
        var partner = await SendAsync<PartnerQuotaPage>("get_partner", Request(HttpMethod.Get, "v1/partner"), cancellationToken);
        return new(partner.Value.Quota, partner.RequestId);
    }

    /// <summary>The partner settings a checkout start depends on: who may embed the hosted page, and the quota where reported.</summary>
    public Task<GateResponse<GatePartnerLimits>> GetPartnerLimitsAsync(CancellationToken cancellationToken) =>
        SendAsync<GatePartnerLimits>("get_partner", Request(HttpMethod.Get, "v1/partner"), cancellationToken);

    /// <summary>Sandbox only: deliver a stored event once more (same id and body, signed afresh).</summary>
    public Task<GateResponse<GateQueuedDelivery>> ResendEventAsync(string eventId, CancellationToken cancellationToken) =>
        SendAsync<GateQueuedDelivery>("resend_event", Request(HttpMethod.Post, $"v1/events/{Uri.EscapeDataString(eventId)}/resend"), cancellationToken);

    /// <summary>
    /// Sandbox only: 0Gate makes up an event of this type, signs it and delivers it to the webhook URL. With
    /// <paramref name="sessionId"/>, a terminal event about that closed session that contradicts how it closed.
    /// </summary>
    public Task<GateResponse<GateSentEvent>> SendTestEventAsync(string eventType, CancellationToken cancellationToken, string? sessionId = null)
    {
        var message = Request(HttpMethod.Post, "v1/sandbox/test_events");
        message.Content = sessionId is null
            ? JsonContent.Create(new { type = eventType }, options: Json)
            : JsonContent.Create(new { type = eventType, session_id = sessionId }, options: Json);
        return SendAsync<GateSentEvent>("send_test_event", message, cancellationToken);
    }

    private HttpRequestMessage Request(HttpMethod method, string path)
    {
        var message = new HttpRequestMessage(method, new Uri(options.Value.ApiBaseUrl, path));
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.Value.SecretKey);
        return message;
    }

    /// <param name="endpoint">The endpoint's name for metrics (<c>portal.gate.request.duration</c>), e.g. <c>get_session</c>.</param>
    private async Task<GateResponse<T>> SendAsync<T>(string endpoint, HttpRequestMessage message, CancellationToken cancellationToken)
    {
        using (message)
        {
            HttpResponseMessage response;
            var started = time.GetTimestamp();
            try
            {
                response = await httpClients.CreateClient(HttpClientName).SendAsync(message, cancellationToken);
                telemetry.GateCall(endpoint, (int)response.StatusCode, time.GetElapsedTime(started));
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested
                                       && ex is HttpRequestException or TaskCanceledException or TimeoutException or Polly.Timeout.TimeoutRejectedException)
            {
                telemetry.GateCall(endpoint, null, time.GetElapsedTime(started));
                throw new GateApiException("0Gate could not be reached.", null, "unreachable", null, ex);
            }

            using (response)
            {
                var requestId = response.Headers.TryGetValues("Request-Id", out var values) ? values.FirstOrDefault() : null;
                if (!response.IsSuccessStatusCode)
                {
                    var error = await ReadErrorAsync(response, cancellationToken);
                    throw new GateApiException(
                        $"0Gate answered {(int)response.StatusCode} {error?.Code}".TrimEnd(),
                        response.StatusCode, error?.Code, requestId ?? error?.RequestId);
                }

                try
                {
                    var value = await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
                        ?? throw new GateApiException("0Gate answered with an empty body.", response.StatusCode, "empty_body", requestId);
                    return new(value, requestId);
                }
                catch (JsonException ex)
                {
                    throw new GateApiException("0Gate answered with a body the portal cannot read.", response.StatusCode, "unreadable_body", requestId, ex);
                }
            }
        }
    }

    private static async Task<GateError?> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return (await response.Content.ReadFromJsonAsync<GateErrorEnvelope>(Json, cancellationToken))?.Error;
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            return null;
        }
    }

    private sealed record GateErrorEnvelope(GateError? Error);

    private sealed record GateError(string? Type, string? Code, string? Message, string? RequestId);

    private sealed record DeliveryPage(IReadOnlyList<GateWebhookDelivery>? Data);

    private sealed record PartnerQuotaPage(GateQuota? Quota);
}
