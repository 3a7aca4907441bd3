using System.Net;
using Microsoft.Extensions.Time.Testing;

namespace Portal.Tests.Sandbox;

public sealed class SessionsApiTests
{
    [Fact]
    public async Task Request_without_api_key_is_401_with_envelope_and_request_id()
    {
        await using var host = await SandboxTestHost.StartAsync();
        using var anonymous = host.CreateClient(null);

        using var response = await host.PostSessionAsync(SandboxTestHost.SessionBody(), client: anonymous);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Headers.GetValues("Request-Id").Single().ShouldStartWith("req_");
        (await response.ErrorCodeAsync()).ShouldBe("api_key_missing");
    }

    [Fact]
    public async Task Wrong_secret_key_is_401()
    {
        await using var host = await SandboxTestHost.StartAsync();
        using var wrong = host.CreateClient("sk_test_somebody_else");

        using var response = await wrong.GetAsync("/v1/gate_sessions/gs_123");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await response.ErrorCodeAsync()).ShouldBe("invalid_api_key");
    }

    [Fact]
    public async Task Publishable_key_cannot_create_or_read_sessions()
    {
        await using var host = await SandboxTestHost.StartAsync();
        var session = await host.CreateSessionAsync();
        using var browser = host.CreateClient(SandboxTestHost.PublishableKey);

        using var create = await host.PostSessionAsync(SandboxTestHost.SessionBody(), client: browser);
        using var read = await browser.GetAsync($"/v1/gate_sessions/{session.Str("id")}");

        create.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await create.ErrorCodeAsync()).ShouldBe("secret_key_required");
        read.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await read.ErrorCodeAsync()).ShouldBe("secret_key_required");
    }

    [Fact]
    public async Task Created_session_has_the_contract_fields()
    {
        await using var host = await SandboxTestHost.StartAsync();

        using var response = await host.PostSessionAsync(SandboxTestHost.SessionBody(extra: ""","target_token":"usdc","target_network":"polygon","wallet_address":"0x52908400098527886E0F7030069857D2E4169EE7" """));
        var session = await SandboxTestHost.ReadJsonAsync(response);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.GetValues("Request-Id").Single().ShouldStartWith("req_");
        var id = session.Str("id");
        id.ShouldStartWith("gs_");
        session.Str("status").ShouldBe("open");
        session.Str("amount").ShouldBe("25.00");
        session.Str("currency").ShouldBe("EUR");
        session.Str("flow").ShouldBe("on_ramp");
        session.Str("target_token").ShouldBe("USDC");
        session.Str("target_network").ShouldBe("polygon");
        session.Str("user_reference").ShouldBe("att_1");
        session.Str("client_secret").ShouldStartWith(id + "_secret_");
        session.GetProperty("kyc_pre_verified").GetBoolean().ShouldBeFalse();
        session.GetProperty("tx_refid").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
        (session.GetProperty("expires_at").GetInt64() - session.GetProperty("created_at").GetInt64()).ShouldBe(24 * 3600);

        using var read = await host.Client.GetAsync($"/v1/gate_sessions/{id}");
        (await SandboxTestHost.ReadJsonAsync(read)).Str("id").ShouldBe(id);
        (await host.EventsAsync("gate_session.created")).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Unknown_session_is_404()
    {
        await using var host = await SandboxTestHost.StartAsync();

        using var response = await host.Client.GetAsync("/v1/gate_sessions/gs_does_not_exist");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.ErrorCodeAsync()).ShouldBe("session_not_found");
    }

    [Fact]
    public async Task Missing_idempotency_key_is_400()
    {
        await using var host = await SandboxTestHost.StartAsync();

        using var response = await host.Client.PostAsync("/v1/gate_sessions", SandboxTestHost.Json(SandboxTestHost.SessionBody()));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ErrorCodeAsync()).ShouldBe("idempotency_key_missing");
    }

    [Fact]
    public async Task Non_uuid_idempotency_key_is_400()
    {
        await using var host = await SandboxTestHost.StartAsync();

        using var response = await host.PostSessionAsync(SandboxTestHost.SessionBody(), idempotencyKey: "attempt-42");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ErrorCodeAsync()).ShouldBe("idempotency_key_invalid");
    }

    [Fact]
    public async Task Same_key_and_body_replays_the_first_response()
    {
        await using var host = await SandboxTestHost.StartAsync();
        var key = Guid.NewGuid().ToString();

        using var first = await host.PostSessionAsync(SandboxTestHost.SessionBody(), key);
        using var second = await host.PostSessionAsync(SandboxTestHost.SessionBody(), key);

        second.StatusCode.ShouldBe(HttpStatusCode.OK);
        var firstBody = await first.Content.ReadAsStringAsync();
        (await second.Content.ReadAsStringAsync()).ShouldBe(firstBody);
        second.Headers.GetValues("Idempotent-Replayed").Single().ShouldBe("true");
        (await host.EventsAsync("gate_session.created")).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Same_key_with_other_body_is_409()
    {
        await using var host = await SandboxTestHost.StartAsync();
        var key = Guid.NewGuid().ToString();

        using var first = await host.PostSessionAsync(SandboxTestHost.SessionBody(amount: "25.00"), key);
        using var second = await host.PostSessionAsync(SandboxTestHost.SessionBody(amount: "26.00"), key);

        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        second.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await second.ErrorCodeAsync()).ShouldBe("idempotency_key_reused");
    }

    public static TheoryData<string, string> InvalidBodies => new()
    {
        { """{"currency":"EUR","return_url":"https://shop.example/r"}""", "parameter_missing" },
        { """{"amount":"-5","currency":"EUR","return_url":"https://shop.example/r"}""", "amount_invalid" },
        { """{"amount":"0","currency":"EUR","return_url":"https://shop.example/r"}""", "amount_invalid" },
        { """{"amount":"ten","currency":"EUR","return_url":"https://shop.example/r"}""", "amount_invalid" },
        { """{"amount":"10.005","currency":"EUR","return_url":"https://shop.example/r"}""", "amount_invalid" },
        { """{"amount":25,"currency":"EUR","return_url":"https://shop.example/r"}""", "parameter_invalid_type" },
        { """{"amount":"25","currency":"XYZ","return_url":"https://shop.example/r"}""", "currency_invalid" },
        { """{"amount":"25","currency":"EUR","flow":"teleport","return_url":"https://shop.example/r"}""", "flow_invalid" },
        { """{"amount":"25","currency":"EUR","target_token":"DOGE","return_url":"https://shop.example/r"}""", "token_invalid" },
        { """{"amount":"25","currency":"EUR","target_network":"solana","return_url":"https://shop.example/r"}""", "network_invalid" },
        { """{"amount":"25","currency":"EUR"}""", "parameter_missing" },
        { """{"amount":"25","currency":"EUR","return_url":"/checkout/return"}""", "url_invalid" },
        { """{"amount":"25","currency":"EUR","return_url":"ftp://shop.example/r"}""", "url_invalid" },
        { """{"amount":"25","currency":"EUR","return_url":"https://shop.example/r","cancel_url":"javascript:alert(1)"}""", "url_invalid" },
        { """{"amount":"25","currency":"EUR","return_url":"https://shop.example/r","wallet_address":"0x1234"}""", "wallet_address_invalid" },
        { """{"amount":"25","currency":"EUR","return_url":"https://shop.example/r","wallet_address":"0xZZ908400098527886E0F7030069857D2E4169EE7"}""", "wallet_address_invalid" },
        { """{"amount":"25","currency":"EUR","return_url":"https://shop.example/r","user_reference":"alice@example.com"}""", "user_reference_pii" },
        { """{"amount":"25","currency":"EUR","returnUrl":"https://shop.example/r"}""", "parameter_unknown" },
        { """{"amount":"25","currency":"USDC","flow":"swap","return_url":"https://shop.example/r"}""", "parameter_missing" },
        { """{"amount":"25","currency":"USDC","flow":"swap","target_token":"USDC","return_url":"https://shop.example/r"}""", "target_token_invalid" },
        { """{"amount":"25","currency":"EUR","flow":"swap","target_token":"ETH","return_url":"https://shop.example/r"}""", "token_invalid" },
        { """{"amount":"25","currency":"EUR","return_url":"https://shop.example/r","kyc_package":"yes"}""", "kyc_package_invalid" },
        { """not json""", "invalid_json" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Invalid_fields_are_400_with_a_clear_code(string body, string expectedCode)
    {
        await using var host = await SandboxTestHost.StartAsync();

        using var response = await host.PostSessionAsync(body);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ErrorCodeAsync()).ShouldBe(expectedCode);
        (await host.EventsAsync("gate_session.created")).ShouldBeEmpty();
    }

    [Fact]
    public async Task Swap_takes_the_source_token_as_currency_and_an_amount_in_it()
    {
        await using var host = await SandboxTestHost.StartAsync();

        var session = await host.CreateSessionAsync("""{"amount":"0.125","currency":"eth","flow":"swap","target_token":"USDC","return_url":"https://shop.example/r"}""");

        session.Str("flow").ShouldBe("swap");
        session.Str("currency").ShouldBe("ETH");
        session.Str("amount").ShouldBe("0.125");
        session.Str("target_token").ShouldBe("USDC");
    }

    [Fact]
    public async Task Session_expires_lazily_after_its_lifetime_and_emits_expired_once()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        await using var host = await SandboxTestHost.StartAsync(time: clock);
        var id = (await host.CreateSessionAsync()).Str("id");

        clock.Advance(TimeSpan.FromHours(23));
        using var stillOpen = await host.Client.GetAsync($"/v1/gate_sessions/{id}");
        (await SandboxTestHost.ReadJsonAsync(stillOpen)).Str("status").ShouldBe("open");
        (await host.EventsAsync("gate_session.expired")).ShouldBeEmpty();

        clock.Advance(TimeSpan.FromHours(1));
        using var expired = await host.Client.GetAsync($"/v1/gate_sessions/{id}");
        using var again = await host.Client.GetAsync($"/v1/gate_sessions/{id}");

        (await SandboxTestHost.ReadJsonAsync(expired)).Str("status").ShouldBe("expired");
        (await SandboxTestHost.ReadJsonAsync(again)).Str("status").ShouldBe("expired");
        var events = await host.EventsAsync("gate_session.expired");
        events.Count.ShouldBe(1);
        events[0].GetProperty("data").Str("id").ShouldBe(id);
        events[0].GetProperty("data").Str("status").ShouldBe("expired");
    }

    [Fact]
    public async Task Session_lifetime_is_configurable()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        await using var host = await SandboxTestHost.StartAsync(new Dictionary<string, string?> { ["Sandbox:SessionLifetime"] = "00:30:00" }, clock);
        var session = await host.CreateSessionAsync();

        (session.GetProperty("expires_at").GetInt64() - session.GetProperty("created_at").GetInt64()).ShouldBe(1800);
        clock.Advance(TimeSpan.FromMinutes(31));
        using var cancel = await host.Client.PostAsync($"/v1/gate_sessions/{session.Str("id")}/cancel", null);

        cancel.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await host.EventsAsync("gate_session.expired")).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Cancel_closes_the_session_and_emits_cancelled()
    {
        await using var host = await SandboxTestHost.StartAsync();
        var id = (await host.CreateSessionAsync()).Str("id");

        using var response = await host.Client.PostAsync($"/v1/gate_sessions/{id}/cancel", null);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await SandboxTestHost.ReadJsonAsync(response)).Str("status").ShouldBe("cancelled");
        var events = await host.EventsAsync("gate_session.cancelled");
        events.Count.ShouldBe(1);
        events[0].GetProperty("data").Str("id").ShouldBe(id);
        events[0].GetProperty("data").TryGetProperty("client_secret", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task Cancelling_a_closed_session_is_409()
    {
        await using var host = await SandboxTestHost.StartAsync();
        var id = (await host.CreateSessionAsync()).Str("id");
        using var first = await host.Client.PostAsync($"/v1/gate_sessions/{id}/cancel", null);

        using var second = await host.Client.PostAsync($"/v1/gate_sessions/{id}/cancel", null);

        second.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await second.ErrorCodeAsync()).ShouldBe("session_not_open");
        (await host.EventsAsync("gate_session.cancelled")).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Kyc_package_from_an_untrusted_partner_is_403()
    {
        await using var host = await SandboxTestHost.StartAsync();

        using var response = await host.PostSessionAsync(SandboxTestHost.SessionBody(extra: ""","kyc_package":{"provider":"acme-kyc","document_number":"P1234567"}"""));

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await response.ErrorCodeAsync()).ShouldBe("kyc_package_not_trusted");
        (await host.EventsAsync("gate_session.created")).ShouldBeEmpty();
    }

    [Fact]
    public async Task Kyc_package_from_a_trusted_partner_is_accepted_and_only_a_redacted_event_leaves()
    {
        await using var host = await SandboxTestHost.StartAsync(new Dictionary<string, string?> { ["Sandbox:Partner:KycTrusted"] = "true" });

        var session = await host.CreateSessionAsync(SandboxTestHost.SessionBody(extra: ""","kyc_package":{"provider":"acme-kyc","document_number":"P1234567","dob":"1990-01-01"}"""));

        session.GetProperty("kyc_pre_verified").GetBoolean().ShouldBeTrue();
        session.ToString().ShouldNotContain("P1234567");
        var events = await host.EventsAsync("gate_session.kyc_package_accepted");
        events.Count.ShouldBe(1);
        var data = events[0].GetProperty("data");
        data.EnumerateObject().Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal)
            .ShouldBe(["accepted_at", "mode", "partner_id", "provider", "session_id", "user_reference"]);
        data.Str("session_id").ShouldBe(session.Str("id"));
        data.Str("provider").ShouldBe("acme-kyc");
        data.Str("user_reference").ShouldBe("att_1");
        events[0].ToString().ShouldNotContain("P1234567");
        events[0].ToString().ShouldNotContain("1990-01-01");
    }
}
