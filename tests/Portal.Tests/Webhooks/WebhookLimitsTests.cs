using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Attempts;
using Portal.Core.Checkout;
using Portal.Core.Gate;
using Portal.Core.Webhooks;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Webhooks;

/// <summary>Junk cannot grow the store, one client cannot flood it, and a busy store answers 503 in time.</summary>
public sealed class WebhookLimitsTests
{
    [Fact]
    public async Task Two_thousand_bad_signatures_add_counts_not_rows()
    {
        await using var app = new PortalAppFactory();
        var client = app.CreateClient();
        await client.GetAsync("/healthz"); // migrated
        var sizeBefore = await DatabaseBytesAsync(app);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 2000; i++)
        {
            var body = System.Text.Encoding.UTF8.GetBytes($$"""{"id":"evt_junk_{{i}}","type":"gate_session.completed"}""");
            statuses.Add((await client.SendAsync(TestWebhookSigner.Delivery(body, TestWebhookSigner.Header("whsec_forged", DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body)))).StatusCode);
        }

        statuses.ShouldAllBe(s => s == HttpStatusCode.BadRequest);
        var (samples, tallies, counted) = await app.WithDbAsync(async db => (
            await db.RejectedDeliveries.CountAsync(),
            await db.RejectedDeliveryTallies.CountAsync(),
            await db.RejectedDeliveryTallies.SumAsync(t => t.Count)));
        counted.ShouldBe(2000); // every one is counted…
        tallies.ShouldBeLessThanOrEqualTo(3); // …in one row per minute and reason (the run may cross a minute or two)
        samples.ShouldBeLessThanOrEqualTo(tallies * WebhookIngestion.SamplesPerMinute); // …with a few samples
        (await DatabaseBytesAsync(app) - sizeBefore).ShouldBeLessThan(64 * 1024); // was ~26 MB for 2,000 when each was a row with its hash
    }

    [Fact]
    public async Task One_client_sending_bad_signatures_is_answered_429_and_nothing_more_is_recorded()
    {
        await using var app = new Factory(("RateLimits:InvalidDeliveriesPerMinute", "5"));
        var client = app.CreateClient();

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 8; i++)
        {
            answers.Add(await client.SendAsync(TestWebhookSigner.Delivery("{}"u8.ToArray(), "t=1,v1=" + new string('0', 64))));
        }

        answers.Take(5).ShouldAllBe(r => r.StatusCode == HttpStatusCode.BadRequest);
        var refused = answers.Skip(5).ToList();
        refused.ShouldAllBe(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        refused[0].Headers.RetryAfter.ShouldNotBeNull();
        (await Reason(refused[0])).ShouldBe("too_many_invalid_deliveries");
        (await app.WithDbAsync(db => db.RejectedDeliveryTallies.SumAsync(t => t.Count))).ShouldBe(5);

        // A correctly signed delivery from the same client is still taken: only failures spend the bucket.
        var valid = await client.SendAsync(TestWebhookSigner.SignedDelivery($$"""{"id":"evt_{{Guid.NewGuid():n}}","type":"partner.quota.warning"}"""));
        valid.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task When_the_store_is_locked_a_delivery_gets_503_with_retry_after_well_before_0Gates_timeout()
    {
        await using var app = new PortalAppFactory();
        var client = app.CreateClient();
        var (attempt, json, eventId) = await CompletedEventAsync(app);

        await using (var blocker = new SqliteConnection($"Data Source={app.DatabasePath}"))
        {
            await blocker.OpenAsync();
            await using var hold = blocker.CreateCommand();
            hold.CommandText = "BEGIN EXCLUSIVE;";
            await hold.ExecuteNonQueryAsync();

            var watch = System.Diagnostics.Stopwatch.StartNew();
            var blocked = await client.SendAsync(TestWebhookSigner.SignedDelivery(json));
            watch.Stop();

            blocked.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            blocked.Headers.RetryAfter.ShouldNotBeNull();
            (await Reason(blocked)).ShouldBe("storage_unavailable");
            watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(5)); // a sender's timeout is typically 10 s
            hold.CommandText = "ROLLBACK;";
            await hold.ExecuteNonQueryAsync();
        }

        (await app.WithDbAsync(db => db.ProcessedEvents.AnyAsync(e => e.EventId == eventId))).ShouldBeFalse();
        (await client.SendAsync(TestWebhookSigner.SignedDelivery(json))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await app.WithDbAsync(db => db.Attempts.SingleAsync(a => a.Id == attempt.Id))).Status.ShouldBe(AttemptStatus.Fulfilled);
    }

    [Fact]
    public async Task Beyond_the_concurrency_limit_and_its_queue_valid_deliveries_get_503_with_retry_after()
    {
        await using var app = new Factory(("RateLimits:ConcurrentDeliveries", "1"), ("RateLimits:DeliveryQueue", "0"));
        var client = app.CreateClient();
        var (_, first, _) = await CompletedEventAsync(app);
        var (_, second, _) = await CompletedEventAsync(app);

        await using var blocker = new SqliteConnection($"Data Source={app.DatabasePath}");
        await blocker.OpenAsync();
        await using var hold = blocker.CreateCommand();
        hold.CommandText = "BEGIN EXCLUSIVE;";
        await hold.ExecuteNonQueryAsync();
        var occupying = client.SendAsync(TestWebhookSigner.SignedDelivery(first)); // holds the only slot, waiting for the lock
        await WaitForAsync(() => app.Services.GetRequiredService<Portal.Endpoints.WebhookLimits>().InFlight == 1);

        var turnedAway = await client.SendAsync(TestWebhookSigner.SignedDelivery(second));

        turnedAway.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        turnedAway.Headers.RetryAfter.ShouldNotBeNull();
        (await Reason(turnedAway)).ShouldBe("busy");
        hold.CommandText = "ROLLBACK;";
        await hold.ExecuteNonQueryAsync();
        (await occupying).StatusCode.ShouldBeOneOf(HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable);
    }

    private sealed class Factory(params (string Key, string Value)[] settings) : PortalAppFactory
    {
        protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings() =>
            settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value));
    }

    private static async Task<(CheckoutAttempt Attempt, string Json, string EventId)> CompletedEventAsync(PortalAppFactory app)
    {
        var writer = app.Services.GetRequiredService<AttemptWriter>();
        var attempt = await writer.CreateAsync(new NewAttempt("acct-limits", CheckoutFlow.OnRamp, 10m, "EUR", "USDC", "base"), default);
        var sessionId = "gs_" + Guid.NewGuid().ToString("n");
        await writer.AttachSessionAsync(attempt.Id, sessionId, null, default);
        var eventId = "evt_" + Guid.NewGuid().ToString("n");
        return (attempt, GateEvents.Json(eventId, GateEventTypes.SessionCompleted, sessionId, attempt.Id, "tx_l"), eventId);
    }

    /// <summary>The data the store holds: pages in use (the write-ahead log is reused after a checkpoint, so it is not growth).</summary>
    private static Task<long> DatabaseBytesAsync(PortalAppFactory app) => app.WithDbAsync(async db =>
    {
        var pages = await db.Database.SqlQueryRaw<long>("SELECT page_count - freelist_count AS \"Value\" FROM pragma_page_count(), pragma_freelist_count()").SingleAsync();
        var size = await db.Database.SqlQueryRaw<long>("SELECT page_size AS \"Value\" FROM pragma_page_size()").SingleAsync();
        return pages * size;
    });

    private static async Task<string?> Reason(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("reason").GetString();

    private static async Task WaitForAsync(Func<bool> condition)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(10, limit.Token);
        }
    }
}
