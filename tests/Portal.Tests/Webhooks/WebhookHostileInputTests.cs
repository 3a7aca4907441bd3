using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Webhooks;

/// <summary>
/// Hostile but well-signed input, and a fuzz over the header and body grammar: every delivery gets a 4xx with a
/// problem+json reason or a 200 for a real event, never a 5xx, and nothing invalid is ever stored as an event.
/// </summary>
public sealed class WebhookHostileInputTests(PortalAppFactory app) : IClassFixture<PortalAppFactory>
{
    private readonly HttpClient _client = app.CreateClient();

    [Theory]
    [InlineData("t=999999999999,v1=" + Hex64, "timestamp_out_of_tolerance")]
    [InlineData("t=253402300800,v1=" + Hex64, "timestamp_out_of_tolerance")]
    [InlineData("t=0,v1=" + Hex64, "timestamp_out_of_tolerance")]
    [InlineData("t=9999999999999,v1=" + Hex64, "malformed_header")]
    [InlineData("t=-1,v1=" + Hex64, "malformed_header")]
    [InlineData("t=１２３,v1=" + Hex64, "malformed_header")]
    [InlineData("v1=" + Hex64, "malformed_header")]
    [InlineData("t=1,t=2,v1=" + Hex64, "malformed_header")]
    public async Task Hostile_signature_headers_get_400_with_a_reason(string header, string reason)
    {
        var response = await _client.SendAsync(TestWebhookSigner.Delivery("""{"id":"evt_h","type":"gate_session.completed"}"""u8.ToArray(), header));

        await ShouldBeProblemAsync(response, HttpStatusCode.BadRequest, reason);
    }

    [Fact]
    public async Task A_signed_body_with_invalid_utf8_inside_a_string_is_refused_not_a_500()
    {
        var body = Concat("{\"id\":\"evt_"u8, [0xC3, 0x28], "\",\"type\":\"gate_session.completed\",\"data\":{\"id\":\"gs_x\"}}"u8);

        var response = await SendSignedAsync(body);

        await ShouldBeProblemAsync(response, HttpStatusCode.BadRequest, "malformed_body");
        await ShouldStoreNoEventAsync("evt_");
    }

    [Fact]
    public async Task A_signed_body_with_invalid_utf8_outside_the_fields_read_is_refused_not_stored()
    {
        var id = "evt_" + Guid.NewGuid().ToString("n");
        var body = Concat(Encoding.UTF8.GetBytes("{\"id\":\"" + id + "\",\"type\":\"gate_session.completed\",\"note\":\""), [0xFF, 0xFE], "\"}"u8);

        var response = await SendSignedAsync(body);

        await ShouldBeProblemAsync(response, HttpStatusCode.BadRequest, "malformed_body");
        await ShouldStoreNoEventAsync(id);
    }

    [Fact]
    public async Task A_signed_body_naming_a_property_twice_is_refused()
    {
        var id = "evt_" + Guid.NewGuid().ToString("n");

        var response = await SendSignedAsync(Encoding.UTF8.GetBytes($$"""{"id":"{{id}}","type":"kyc.required","type":"gate_session.completed"}"""));

        await ShouldBeProblemAsync(response, HttpStatusCode.BadRequest, "malformed_body");
        await ShouldStoreNoEventAsync(id);
    }

    [Fact]
    public async Task Deep_nesting_and_huge_numbers_are_refused()
    {
        var deep = Encoding.UTF8.GetBytes("{\"id\":\"evt_deep\",\"type\":\"x\",\"data\":" + new string('[', 5000) + new string(']', 5000) + "}");
        var huge = Encoding.UTF8.GetBytes("{\"id\":1" + new string('9', 400) + ",\"type\":\"gate_session.completed\"}");

        await ShouldBeProblemAsync(await SendSignedAsync(deep), HttpStatusCode.BadRequest, "malformed_body");
        await ShouldBeProblemAsync(await SendSignedAsync(huge), HttpStatusCode.BadRequest, "malformed_body");
        await ShouldStoreNoEventAsync("evt_deep");
    }

    [Fact]
    public async Task A_fuzz_over_the_header_and_body_grammar_never_answers_5xx_and_stores_only_real_events()
    {
        var random = new Random(20261125); // fixed seed: the same cases every run, a failure is reproducible
        var before = await app.WithDbAsync(db => db.ProcessedEvents.CountAsync());
        var stored = 0;
        for (var i = 0; i < 400; i++)
        {
            var (body, header, isEvent) = FuzzCase(random, i);
            var response = await _client.SendAsync(TestWebhookSigner.Delivery(body, header));
            var status = (int)response.StatusCode;

            status.ShouldBeLessThan(500, $"case {i}: {Describe(body, header)}");
            if (isEvent)
            {
                response.StatusCode.ShouldBe(HttpStatusCode.OK, $"case {i}");
                stored++;
            }
            else
            {
                status.ShouldBeInRange(400, 499, $"case {i}: {Describe(body, header)}");
                response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", $"case {i}");
            }
        }

        (await app.WithDbAsync(db => db.ProcessedEvents.CountAsync())).ShouldBe(before + stored);
        stored.ShouldBeGreaterThan(0);
    }

    private const string Hex64 = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    private static (byte[] Body, string? Header, bool IsEvent) FuzzCase(Random random, int i)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var validEvent = Encoding.UTF8.GetBytes($$$"""{"id":"evt_fuzz_{{{i}}}_{{{Guid.NewGuid():n}}}","type":"gate_session.completed","data":{"id":"gs_fuzz_{{{i}}}"}}""");
        switch (i % 8)
        {
            case 0: // random bytes, correctly signed
                var bytes = new byte[random.Next(0, 300)];
                random.NextBytes(bytes);
                return (bytes, TestWebhookSigner.Header(PortalAppFactory.WebhookSecret, now, bytes), false);
            case 1: // a real event with one byte flipped after signing
                var flipped = validEvent.ToArray();
                flipped[random.Next(flipped.Length)] ^= (byte)(1 << random.Next(8));
                return (flipped, TestWebhookSigner.Header(PortalAppFactory.WebhookSecret, now, validEvent), false);
            case 2: // a random header built from the grammar's own characters
                var alphabet = "tv01=,; abcdef0123456789-+.\t\"é\u0000";
                var header = new string(Enumerable.Range(0, random.Next(0, 120)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
                return (validEvent, header.Replace("\u0000", string.Empty, StringComparison.Ordinal), false);
            case 3: // structurally valid header, absurd numbers
                return (validEvent, $"t={random.NextInt64(0, 999_999_999_999)},v1={Hex64}", false);
            case 4: // signed JSON that is not an event: arrays, scalars, wrong types, deep nesting
                string[] shapes = ["[]", "null", "42", "\"evt\"", "{\"id\":1,\"type\":2}", "{\"id\":\"evt\"}", "{\"type\":\"x\"}", new string('{', 200), "{\"id\":\"a\",\"type\":\"b\",\"id\":\"c\"}"];
                var shape = Encoding.UTF8.GetBytes(shapes[random.Next(shapes.Length)]);
                return (shape, TestWebhookSigner.Header(PortalAppFactory.WebhookSecret, now, shape), false);
            case 5: // invalid UTF-8 spliced into a signed event
                var spliced = Concat(validEvent.AsSpan(0, 8), [0xF0, 0x28, 0x8C, 0x28], validEvent.AsSpan(8));
                return (spliced, TestWebhookSigner.Header(PortalAppFactory.WebhookSecret, now, spliced), false);
            case 6: // signed with a secret the portal does not have
                return (validEvent, TestWebhookSigner.Header("whsec_someone_else", now, validEvent), false);
            default: // a real, correctly signed event (for a session nobody knows): stored once, 200
                return (validEvent, TestWebhookSigner.Header(PortalAppFactory.WebhookSecret, now, validEvent), true);
        }
    }

    private Task<HttpResponseMessage> SendSignedAsync(byte[] body) =>
        _client.SendAsync(TestWebhookSigner.Delivery(body, TestWebhookSigner.Header(PortalAppFactory.WebhookSecret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body)));

    private static async Task ShouldBeProblemAsync(HttpResponseMessage response, HttpStatusCode status, string reason)
    {
        response.StatusCode.ShouldBe(status);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        problem.GetProperty("reason").GetString().ShouldBe(reason);
    }

    private async Task ShouldStoreNoEventAsync(string idPrefix) =>
        (await app.WithDbAsync(db => db.ProcessedEvents.CountAsync(e => e.EventId.StartsWith(idPrefix)))).ShouldBe(0);

    private static byte[] Concat(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c) => [.. a, .. b, .. c];

    private static string Describe(byte[] body, string? header) =>
        $"header '{header}', body {Convert.ToHexString(body.AsSpan(0, Math.Min(body.Length, 40)))}…";
}
