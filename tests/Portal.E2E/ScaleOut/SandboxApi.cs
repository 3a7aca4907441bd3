using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Portal.E2E.ScaleOut;

/// <summary>The calls the tests make to the 0Gate sandbox (hosted by instance A): docs/sandbox.md.</summary>
public sealed class SandboxApi(string origin, string secretKey, string publishableKey)
{
    /// <summary>
    /// Holds the sandbox's own deliveries of events raised from now on (they wait ten minutes), so that the test
    /// decides where a session's event goes. <see cref="ReleaseDeliveriesAsync"/> switches it off again.
    /// </summary>
    public Task HoldDeliveriesAsync() => SetDelayAsync(600_000);

    public Task ReleaseDeliveriesAsync() => SetDelayAsync(0);

    /// <summary>Opens a session for an attempt (user_reference = the attempt id); returns its id and client secret.</summary>
    public async Task<(string Id, string ClientSecret)> CreateSessionAsync(string attemptId, string returnOrigin)
    {
        using var client = Client(secretKey);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/gate_sessions")
        {
            Content = JsonContent.Create(new Dictionary<string, string>
            {
                ["amount"] = "25.00",
                ["currency"] = "EUR",
                ["flow"] = "on_ramp",
                ["return_url"] = $"{returnOrigin}/checkout/{attemptId}/return",
                ["user_reference"] = attemptId,
            }),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        using var response = await client.SendAsync(request);
        var session = await ReadAsync(response);
        return (session["id"]!.GetValue<string>(), session["client_secret"]!.GetValue<string>());
    }

    /// <summary>Completes an open session the way the hosted page's "Complete" button does (bootstrap, then complete).</summary>
    public async Task CompleteSessionAsync(string clientSecret)
    {
        using var client = Client(publishableKey);
        using var bootstrapped = await client.PostAsJsonAsync("/v1/embed/bootstrap", new Dictionary<string, string> { ["client_secret"] = clientSecret });
        var token = (await ReadAsync(bootstrapped))["embed_token"]!.GetValue<string>();

        using var complete = new HttpRequestMessage(HttpMethod.Post, "/v1/embed/session/complete");
        complete.Headers.Add("X-Embed-Token", token);
        using var completed = await client.SendAsync(complete);
        await ReadAsync(completed);
    }

    /// <summary>The session as 0Gate reports it (with <c>tx_refid</c> once completed), shaped as a session event's data.</summary>
    public async Task<JsonObject> GetSessionAsync(string sessionId)
    {
        using var client = Client(secretKey);
        using var response = await client.GetAsync($"/v1/gate_sessions/{sessionId}");
        var session = await ReadAsync(response);
        session.Remove("client_secret"); // events never carry it
        return session;
    }

    private async Task SetDelayAsync(int milliseconds)
    {
        using var client = Client(secretKey);
        using var response = await client.PutAsJsonAsync("/v1/sandbox/webhook_behavior", new Dictionary<string, int> { ["delay_ms"] = milliseconds });
        await ReadAsync(response);
    }

    private HttpClient Client(string key)
    {
        var client = new HttpClient { BaseAddress = new Uri(origin), Timeout = TimeSpan.FromSeconds(15) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static async Task<JsonObject> ReadAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.ShouldBeTrue($"The sandbox answered {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }
}
