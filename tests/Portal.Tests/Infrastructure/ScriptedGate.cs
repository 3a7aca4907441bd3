using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Gate;

namespace Portal.Tests.Infrastructure;

/// <summary>The portal host with its 0Gate replaced by a <see cref="ScriptedGate"/> (outbound HTTP is the edge).</summary>
public class ScriptedGateFactory : PortalAppFactory
{
    public ScriptedGate Gate { get; } = new();

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
            services.AddHttpClient(GateClient.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => Gate));
    }
}

/// <summary>
/// A scripted 0Gate: capabilities, and session creation that replays per Idempotency-Key as 0Gate
/// does, with failures on demand.
/// </summary>
public sealed class ScriptedGate : HttpMessageHandler
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _sessionsByKey = [];
    private readonly Dictionary<string, (string Status, string? TxRefid)> _sessions = [];
    private int _cancelCalls;
    private int _sessionReads;
    private const string AllCapabilities = """{"flows":["on_ramp","off_ramp","swap"],"currencies":["EUR"],"tokens":["USDC","ETH"],"networks":["polygon"]}""";
    private int _failures;
    private HttpStatusCode _failWith;
    private string _failCode = "unavailable";

    /// <summary>The partner settings answer of <c>GET /v1/partner</c> (JSON); null: 404, as before it was scripted.</summary>
    public string? Partner { get; set; }

    /// <summary>The capabilities answer (JSON).</summary>
    public string Capabilities { get; set; } = AllCapabilities;

    public List<SessionRequest> SessionRequests { get; } = [];

    /// <summary>How many times a transaction (receipt) was read.</summary>
    public int TransactionReads => Volatile.Read(ref _transactionReads);

    /// <summary>While set, receipt reads wait for it: lets a test line up concurrent readers.</summary>
    public TaskCompletionSource? HoldTransactions { get; set; }

    private int _transactionReads;
    private int _transactionFailures;
    private HttpStatusCode _transactionFailure = HttpStatusCode.ServiceUnavailable;

    public int SessionsCreated { get { lock (_gate) { return _sessionsByKey.Count; } } }

    private readonly Dictionary<string, string> _deliveries = [];
    private int _deliveryReads;
    private int _deliveryFailures;

    /// <summary>While set, delivery listings wait for it (or for the caller to give up): 0Gate being slow.</summary>
    public TaskCompletionSource? HoldDeliveries { get; set; }

    /// <summary>How many times <c>GET /v1/webhook_deliveries</c> was called.</summary>
    public int DeliveryReads => Volatile.Read(ref _deliveryReads);

    /// <summary>What <c>GET /v1/webhook_deliveries?event_id=…</c> lists for an event: a JSON array of delivery objects.</summary>
    public void SetDeliveries(string eventId, string deliveriesJson)
    {
        lock (_gate)
        {
            _deliveries[eventId] = deliveriesJson;
        }
    }

    /// <summary>The next <paramref name="count"/> delivery listings answer 503.</summary>
    public void FailDeliveries(int count) => Interlocked.Exchange(ref _deliveryFailures, count);

    /// <summary>How many times <c>POST /v1/gate_sessions/{id}/cancel</c> was called.</summary>
    public int CancelCalls => Volatile.Read(ref _cancelCalls);

    /// <summary>How many times a session was read (<c>GET /v1/gate_sessions/{id}</c>).</summary>
    public int SessionReads => Volatile.Read(ref _sessionReads);

    /// <summary>What 0Gate holds for a session (created here or by a test): <c>open</c>, <c>completed</c>, …</summary>
    public void SetSession(string sessionId, string status, string? txRefid = null)
    {
        lock (_gate)
        {
            _sessions[sessionId] = (status, txRefid);
        }
    }

    public string? SessionStatus(string sessionId)
    {
        lock (_gate)
        {
            return _sessions.TryGetValue(sessionId, out var session) ? session.Status : null;
        }
    }

    public void FailNext(int count, HttpStatusCode status, string code = "unavailable")
    {
        lock (_gate)
        {
            _failures = count;
            _failWith = status;
            _failCode = code;
        }
    }

    /// <summary>The next <paramref name="count"/> receipt reads answer <paramref name="status"/> (503 by default).</summary>
    public void FailTransactions(int count, HttpStatusCode status = HttpStatusCode.ServiceUnavailable)
    {
        _transactionFailure = status;
        Interlocked.Exchange(ref _transactionFailures, count);
    }

    public void Reset()
    {
        lock (_gate)
        {
            _failures = 0;
            SessionRequests.Clear();
            _sessionsByKey.Clear();
            _sessions.Clear();
            _transactionReads = 0;
            _transactionFailures = 0;
            _cancelCalls = 0;
            _sessionReads = 0;
            _deliveries.Clear();
            _deliveryReads = 0;
            _deliveryFailures = 0;
            HoldDeliveries = null;
            HoldTransactions = null;
            Capabilities = AllCapabilities;
            Partner = null;
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var requestId = "req_" + Guid.NewGuid().ToString("n");
        var path = request.RequestUri!.AbsolutePath;
        if (path == "/v1/capabilities")
        {
            return Json(HttpStatusCode.OK, Capabilities, requestId);
        }

        if (path == "/v1/partner" && request.Method == HttpMethod.Get && Partner is { } partner)
        {
            return Json(HttpStatusCode.OK, partner, requestId);
        }

        if (path.StartsWith("/v1/transactions/", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _transactionReads);
            if (Interlocked.Decrement(ref _transactionFailures) >= 0)
            {
                return Json(_transactionFailure, """{"error":{"type":"api_error","code":"unavailable","message":"Down."}}""", requestId);
            }

            Interlocked.Exchange(ref _transactionFailures, 0);
            if (HoldTransactions is { } hold)
            {
                await hold.Task.WaitAsync(cancellationToken);
            }

            var refid = path["/v1/transactions/".Length..];
            return Json(HttpStatusCode.OK, $$$"""{"refid":"{{{refid}}}","action":"SELL","status":"settled","token":"ETH","token_amt":"0.08","network":"base","currency":"EUR","fiat_amt":"250.00","total_fees":"3.75","bank":{"account_number":"DE89370400440532013000"},"blockchain":{"hash":"0xabc","chain_id":8453,"explorer_url":"https://basescan.org/tx/0xabc"}}""", requestId);
        }

        if (path == "/v1/webhook_deliveries")
        {
            return await DeliveriesAsync(request, requestId, cancellationToken);
        }

        if (path.StartsWith("/v1/gate_sessions/", StringComparison.Ordinal))
        {
            return SessionCall(path["/v1/gate_sessions/".Length..], request.Method, requestId);
        }

        if (path != "/v1/gate_sessions" || request.Method != HttpMethod.Post)
        {
            return Json(HttpStatusCode.NotFound, """{"error":{"type":"invalid_request_error","code":"not_found","message":"No such route."}}""", requestId);
        }

        var body = JsonDocument.Parse(await request.Content!.ReadAsStringAsync(cancellationToken)).RootElement.Clone();
        var key = request.Headers.GetValues("Idempotency-Key").Single();
        lock (_gate)
        {
            SessionRequests.Add(new(body, key, request.Headers.Authorization?.ToString(), requestId));
            if (_failures > 0)
            {
                _failures--;
                return Json(_failWith, $$$"""{"error":{"type":"api_error","code":"{{{_failCode}}}","message":"Refused."}}""", requestId);
            }

            if (!_sessionsByKey.TryGetValue(key, out var sessionId))
            {
                sessionId = "gs_" + Guid.NewGuid().ToString("n");
                _sessionsByKey[key] = sessionId;
                _sessions[sessionId] = ("open", null);
            }

            return Json(HttpStatusCode.OK, $$"""{"id":"{{sessionId}}","status":"open","client_secret":"{{sessionId}}_secret_x"}""", requestId);
        }
    }

    /// <summary><c>GET /v1/webhook_deliveries?event_id=…</c>: what a test set for the event, or nothing.</summary>
    private async Task<HttpResponseMessage> DeliveriesAsync(HttpRequestMessage request, string requestId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _deliveryReads);
        if (Interlocked.Decrement(ref _deliveryFailures) >= 0)
        {
            return Json(HttpStatusCode.ServiceUnavailable, """{"error":{"type":"api_error","code":"unavailable","message":"Down."}}""", requestId);
        }

        Interlocked.Exchange(ref _deliveryFailures, 0);
        if (HoldDeliveries is { } held)
        {
            await held.Task.WaitAsync(cancellationToken);
        }

        var eventId = System.Web.HttpUtility.ParseQueryString(request.RequestUri!.Query)["event_id"];
        string data;
        lock (_gate)
        {
            data = eventId is not null && _deliveries.TryGetValue(eventId, out var listed) ? listed : "[]";
        }

        return Json(HttpStatusCode.OK, $$"""{"object":"list","data":{{data}}}""", requestId);
    }

    /// <summary><c>GET /v1/gate_sessions/{id}</c> and <c>POST /v1/gate_sessions/{id}/cancel</c>, as 0Gate answers them.</summary>
    private HttpResponseMessage SessionCall(string rest, HttpMethod method, string requestId)
    {
        var cancel = rest.EndsWith("/cancel", StringComparison.Ordinal);
        var id = cancel ? rest[..^"/cancel".Length] : rest;
        lock (_gate)
        {
            if (_failures > 0)
            {
                _failures--;
                return Json(_failWith, $$$"""{"error":{"type":"api_error","code":"{{{_failCode}}}","message":"Refused."}}""", requestId);
            }

            if (!_sessions.TryGetValue(id, out var session))
            {
                return Json(HttpStatusCode.NotFound, """{"error":{"type":"invalid_request_error","code":"session_not_found","message":"No such gate session."}}""", requestId);
            }

            if (cancel && method == HttpMethod.Post)
            {
                _cancelCalls++;
                if (session.Status != "open")
                {
                    return Json(HttpStatusCode.Conflict, """{"error":{"type":"conflict_error","code":"session_not_open","message":"Closed."}}""", requestId);
                }

                session = ("cancelled", null);
                _sessions[id] = session;
            }
            else
            {
                _sessionReads++;
            }

            var secret = session.Status == "open" ? $"\"{id}_secret_x\"" : "null";
            var refid = session.TxRefid is null ? "null" : $"\"{session.TxRefid}\"";
            return Json(HttpStatusCode.OK, $$"""{"id":"{{id}}","status":"{{session.Status}}","client_secret":{{secret}},"tx_refid":{{refid}}}""", requestId);
        }
    }

    private static HttpResponseMessage Json(HttpStatusCode status, string json, string requestId)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        response.Headers.Add("Request-Id", requestId);
        return response;
    }
}

public sealed record SessionRequest(JsonElement Body, string IdempotencyKey, string? Authorization, string RequestId);
