using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gate.Sandbox;
using Gate.Sandbox.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Portal.Tests.Sandbox;

/// <summary>A real sandbox on a free loopback port with a throwaway SQLite file.</summary>
internal sealed class SandboxTestHost : IAsyncDisposable
{
    public const string SecretKey = "sk_test_unit_sandbox";
    public const string PublishableKey = "pk_test_unit_sandbox";
    public const string WebhookSecret = "whsec_unit_sandbox_secret";
    public const string AllowedOrigin = "http://localhost:5080";

    private readonly string _directory;

    private SandboxTestHost(WebApplication app, string directory)
    {
        App = app;
        _directory = directory;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
        Client = CreateClient(SecretKey);
    }

    public WebApplication App { get; }
    public Uri BaseAddress { get; }

    /// <summary>Authenticated with the secret key.</summary>
    public HttpClient Client { get; }

    /// <param name="configureServices">Replaces sandbox services, e.g. the webhook client's handler to reach an in-memory portal.</param>
    public static async Task<SandboxTestHost> StartAsync(IDictionary<string, string?>? overrides = null, TimeProvider? time = null, Action<IServiceCollection>? configureServices = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "gate-sandbox-tests", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(directory);
        var settings = new Dictionary<string, string?>
        {
            ["Sandbox:Url"] = "http://127.0.0.1:0",
            ["Sandbox:ConnectionString"] = $"Data Source={Path.Combine(directory, "sandbox.db")};Pooling=False",
            ["Sandbox:Partner:SecretKey"] = SecretKey,
            ["Sandbox:Partner:PublishableKey"] = PublishableKey,
            ["Sandbox:Partner:WebhookSecret"] = WebhookSecret,
            ["Sandbox:Partner:AllowedDomains:0"] = AllowedOrigin,
            ["Sandbox:Webhooks:RetryBaseDelay"] = "00:00:00.020",
            ["Sandbox:Webhooks:MaxAttempts"] = "5",
            ["Sandbox:Webhooks:Timeout"] = "00:00:05",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var app = SandboxApp.Build(new SandboxHostOptions { Settings = settings, TimeProvider = time, ConfigureServices = configureServices });
        await app.StartAsync();
        return new SandboxTestHost(app, directory);
    }

    public HttpClient CreateClient(string? apiKey)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return client;
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static string SessionBody(string amount = "25.00", string currency = "EUR", string flow = "on_ramp", string extra = "") =>
        $$"""{"amount":"{{amount}}","currency":"{{currency}}","flow":"{{flow}}","return_url":"http://localhost:5080/checkout/att_1/return","cancel_url":"http://localhost:5080/checkout/att_1/cancel","user_reference":"att_1"{{extra}}}""";

    public Task<HttpResponseMessage> PostSessionAsync(string body, string? idempotencyKey = null, HttpClient? client = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/gate_sessions") { Content = Json(body) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey ?? Guid.NewGuid().ToString());
        return (client ?? Client).SendAsync(request);
    }

    public async Task<JsonElement> CreateSessionAsync(string? body = null)
    {
        using var response = await PostSessionAsync(body ?? SessionBody());
        var json = await ReadJsonAsync(response);
        ((int)response.StatusCode).ShouldBe(200, json.ToString());
        return json;
    }

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    /// <summary>Events as stored by the sandbox (the exact bodies it signs and delivers).</summary>
    public async Task<IReadOnlyList<JsonElement>> EventsAsync(string type)
    {
        var store = App.Services.GetRequiredService<SandboxStore>();
        var bodies = await store.RunAsync(db => db.Events.Where(e => e.Type == type).OrderBy(e => e.Created).Select(e => e.Body).ToListAsync());
        return bodies.Select(b => JsonDocument.Parse(b).RootElement.Clone()).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp file is harmless.
        }
    }
}

internal static class JsonAssertions
{
    public static string Str(this JsonElement e, string name) => e.GetProperty(name).GetString()!;

    public static async Task<string> ErrorCodeAsync(this HttpResponseMessage response)
    {
        var json = await SandboxTestHost.ReadJsonAsync(response);
        var error = json.GetProperty("error");
        error.Str("type").ShouldNotBeNullOrEmpty();
        error.Str("message").ShouldNotBeNullOrEmpty();
        error.Str("request_id").ShouldBe(response.Headers.GetValues("Request-Id").Single());
        return error.Str("code");
    }
}
