using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Attempts;
using Portal.Core.Checkout;
using Portal.Core.Gate;
using Portal.Core.LiveUpdates;
using Portal.Core.Records;
using Portal.Core.Webhooks;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Webhooks;

/// <summary>POST /webhooks/0gate on the real host, on each store (a temporary SQLite file, a fresh PostgreSQL database).</summary>
public abstract class WebhookEndpointTests<TFactory> : IClassFixture<TFactory>
    where TFactory : PortalAppFactory
{
    private readonly HttpClient _client;

    protected WebhookEndpointTests(TFactory app)
    {
        App = app;
        _client = app.CreateClient();
    }

    protected TFactory App { get; }

    [Fact]
    public async Task A_valid_completed_event_fulfils_the_attempt()
    {
        var (attempt, sessionId) = await NewAttemptWithSessionAsync();

        var response = await _client.SendAsync(TestWebhookSigner.SignedDelivery(GateEvents.Json("evt_" + Guid.NewGuid().ToString("n"), GateEventTypes.SessionCompleted, sessionId, attempt.Id, "tx_abc")));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var stored = await Attempt(attempt.Id);
        stored.Status.ShouldBe(AttemptStatus.Fulfilled);
        stored.TxRefId.ShouldBe("tx_abc");
        stored.ClosedAt.ShouldNotBeNull();
        var timeline = await Timeline(attempt.Id);
        timeline.ShouldContain(e => e.Kind == TimelineKind.StateChanged && e.FromStatus == AttemptStatus.RequiresAction && e.ToStatus == AttemptStatus.Fulfilled);
        timeline.ShouldContain(e => e.Kind == TimelineKind.EventAccepted && e.EventType == GateEventTypes.SessionCompleted);
    }

    [Fact]
    public async Task The_same_event_delivered_50_times_concurrently_fulfils_once()
    {
        var (attempt, sessionId) = await NewAttemptWithSessionAsync();
        var eventId = "evt_" + Guid.NewGuid().ToString("n");
        var json = GateEvents.Json(eventId, GateEventTypes.SessionCompleted, sessionId, attempt.Id, "tx_once");
        var fulfilments = 0;
        using var watch = App.Services.GetRequiredService<AttemptStatusNotifier>().Subscribe(attempt.Id, change =>
        {
            if (change.Status == AttemptStatus.Fulfilled)
            {
                Interlocked.Increment(ref fulfilments);
            }

            return Task.CompletedTask;
        });

        using var start = new ManualResetEventSlim();
        var deliveries = Enumerable.Range(0, 50).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return await _client.SendAsync(TestWebhookSigner.SignedDelivery(json));
        })).ToList();
        start.Set();
        var responses = await Task.WhenAll(deliveries);

        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK);
        (await App.WithDbAsync(db => db.ProcessedEvents.CountAsync(e => e.EventId == eventId))).ShouldBe(1);
        (await Processed(eventId))!.SecretFingerprint.ShouldBe(WebhookSecretFingerprint.Of(PortalAppFactory.WebhookSecret));
        var timeline = await Timeline(attempt.Id);
        timeline.Count(e => e.Kind == TimelineKind.StateChanged && e.ToStatus == AttemptStatus.Fulfilled).ShouldBe(1);
        timeline.Count(e => e.Kind == TimelineKind.EventAccepted && e.EventId == eventId).ShouldBe(1);
        timeline.Count(e => e.Kind == TimelineKind.EventDuplicate && e.EventId == eventId).ShouldBe(49);
        fulfilments.ShouldBe(1);
        (await Attempt(attempt.Id)).Status.ShouldBe(AttemptStatus.Fulfilled);
    }

    [Fact]
    public async Task A_terminal_event_after_another_terminal_is_recorded_ignored_and_flagged()
    {
        var (attempt, sessionId) = await NewAttemptWithSessionAsync();
        (await _client.SendAsync(TestWebhookSigner.SignedDelivery(GateEvents.Json("evt_" + Guid.NewGuid().ToString("n"), GateEventTypes.SessionFailed, sessionId, attempt.Id))))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        var lateId = "evt_" + Guid.NewGuid().ToString("n");
        var late = await _client.SendAsync(TestWebhookSigner.SignedDelivery(GateEvents.Json(lateId, GateEventTypes.SessionCompleted, sessionId, attempt.Id, "tx_late")));

        late.StatusCode.ShouldBe(HttpStatusCode.OK);
        var stored = await Attempt(attempt.Id);
        stored.Status.ShouldBe(AttemptStatus.Failed);
        stored.TxRefId.ShouldBeNull();
        stored.NeedsReview.ShouldBeTrue();
        (await Timeline(attempt.Id)).ShouldContain(e => e.Kind == TimelineKind.EventIgnoredAfterTerminal && e.EventId == lateId);
        (await Processed(lateId))!.Outcome.ShouldBe(EventOutcome.IgnoredAfterTerminal);
    }

    [Fact]
    public async Task The_same_terminal_outcome_twice_under_different_ids_is_not_a_conflict()
    {
        var (attempt, sessionId) = await NewAttemptWithSessionAsync();
        await _client.SendAsync(TestWebhookSigner.SignedDelivery(GateEvents.Json("evt_" + Guid.NewGuid().ToString("n"), GateEventTypes.SessionCancelled, sessionId, attempt.Id)));
        var second = await _client.SendAsync(TestWebhookSigner.SignedDelivery(GateEvents.Json("evt_" + Guid.NewGuid().ToString("n"), GateEventTypes.SessionCancelled, sessionId, attempt.Id)));

        second.StatusCode.ShouldBe(HttpStatusCode.OK);
        var stored = await Attempt(attempt.Id);
        stored.Status.ShouldBe(AttemptStatus.Cancelled);
        stored.NeedsReview.ShouldBeFalse();
    }

    [Fact]
    public async Task A_created_event_arriving_after_completion_is_recorded_without_a_review_flag()
    {
        var (attempt, sessionId) = await NewAttemptWithSessionAsync();
        await _client.SendAsync(TestWebhookSigner.SignedDelivery(GateEvents.Json("evt_" + Guid.NewGuid().ToString("n"), GateEventTypes.SessionCompleted, sessionId, attempt.Id, "tx_r")));
        var lateId = "evt_" + Guid.NewGuid().ToString("n");

        var response = await _client.SendAsync(TestWebhookSigner.SignedDelivery(GateEvents.Json(lateId, GateEventTypes.SessionCreated, sessionId, attempt.Id)));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var stored = await Attempt(attempt.Id);
        stored.Status.ShouldBe(AttemptStatus.Fulfilled);
        stored.NeedsReview.ShouldBeFalse(); // reordering is normal, not a conflict
        (await Processed(lateId))!.Outcome.ShouldBe(EventOutcome.Recorded);
    }

    [Fact]
    public async Task An_event_for_an_unknown_session_is_acknowledged_and_recorded()
    {
        var eventId = "evt_" + Guid.NewGuid().ToString("n");
        var response = await _client.SendAsync(TestWebhookSigner.SignedDelivery(GateEvents.Json(eventId, GateEventTypes.SessionCompleted, "gs_nobody_knows", "att_aaaaaaaaaaaaaaaaaaaaaaaaaa")));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Processed(eventId))!.Outcome.ShouldBe(EventOutcome.UnknownSession);
        var entries = await App.WithDbAsync(db => db.Timeline.Where(e => e.EventId == eventId).ToListAsync());
        entries.ShouldHaveSingleItem().Kind.ShouldBe(TimelineKind.EventForUnknownSession);
        entries[0].AttemptId.ShouldBeNull();
        entries[0].GateSessionId.ShouldBe("gs_nobody_knows");
    }

    [Fact]
    public async Task A_changed_byte_gives_400_and_changes_nothing()
    {
        var (attempt, sessionId) = await NewAttemptWithSessionAsync();
        var eventId = "evt_" + Guid.NewGuid().ToString("n");
        var body = Encoding.UTF8.GetBytes(GateEvents.Json(eventId, GateEventTypes.SessionCompleted, sessionId, attempt.Id, "tx_forged"));
        var header = TestWebhookSigner.Header(PortalAppFactory.WebhookSecret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body);
        body[^2] = (byte)' ';
        var rejectedBefore = await App.WithDbAsync(db => db.RejectedDeliveries.CountAsync());

        var response = await _client.SendAsync(TestWebhookSigner.Delivery(body, header, hintedEventId: eventId));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await Attempt(attempt.Id)).Status.ShouldBe(AttemptStatus.RequiresAction);
        (await Processed(eventId)).ShouldBeNull();
        var rejected = await App.WithDbAsync(db => db.RejectedDeliveries.OrderByDescending(r => r.Id).ToListAsync());
        rejected.Count.ShouldBe(rejectedBefore + 1);
        rejected[0].Reason.ShouldBe("no_matching_signature");
        rejected[0].BodyLength.ShouldBe(body.Length);
        rejected[0].BodySha256.ShouldBe(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body)));
    }

    [Fact]
    public async Task A_stale_signature_is_refused_and_its_skew_recorded()
    {
        var response = await _client.SendAsync(TestWebhookSigner.SignedDelivery(
            GateEvents.Json("evt_" + Guid.NewGuid().ToString("n"), GateEventTypes.SessionCompleted, "gs_x", null), at: DateTimeOffset.UtcNow.AddMinutes(-10)));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var last = await App.WithDbAsync(db => db.RejectedDeliveries.OrderByDescending(r => r.Id).FirstAsync());
        last.Reason.ShouldBe("timestamp_out_of_tolerance");
        last.TimestampSkewSeconds!.Value.ShouldBeInRange(-660, -540);
    }

    [Fact]
    public async Task A_delivery_signed_with_the_rotated_secret_is_accepted()
    {
        var (attempt, sessionId) = await NewAttemptWithSessionAsync();
        var response = await _client.SendAsync(TestWebhookSigner.SignedDelivery(
            GateEvents.Json("evt_" + Guid.NewGuid().ToString("n"), GateEventTypes.SessionExpired, sessionId, attempt.Id), PortalAppFactory.RotatedWebhookSecret));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Attempt(attempt.Id)).Status.ShouldBe(AttemptStatus.Expired);
    }

    [Fact]
    public async Task A_300_KiB_body_gives_413_and_stores_nothing()
    {
        var rejectedBefore = await App.WithDbAsync(db => db.RejectedDeliveries.CountAsync());
        var body = new byte[300 * 1024];
        Array.Fill(body, (byte)' ');
        var response = await _client.SendAsync(TestWebhookSigner.Delivery(body, TestWebhookSigner.Header(PortalAppFactory.WebhookSecret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body)));

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        (await App.WithDbAsync(db => db.RejectedDeliveries.CountAsync())).ShouldBe(rejectedBefore);
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_also_gives_413()
    {
        var body = new byte[300 * 1024];
        var request = TestWebhookSigner.Delivery(body, "t=1,v1=00");
        request.Content = new StreamContent(new MemoryStream(body)); // no Content-Length
        request.Headers.TransferEncodingChunked = true;

        (await _client.SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task An_unknown_event_type_for_a_session_the_portal_does_not_know_is_named_for_its_type()
    {
        var eventId = "evt_" + Guid.NewGuid().ToString("n");

        var response = await _client.SendAsync(TestWebhookSigner.SignedDelivery(GateEvents.Json(eventId, "gate_session.teleported", "gs_" + Guid.NewGuid().ToString("n"), null)));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Processed(eventId))!.Outcome.ShouldBe(EventOutcome.UnhandledType); // what developer tools report back
    }

    [Fact]
    public async Task An_unknown_event_type_gives_200_and_is_recorded()
    {
        var (attempt, sessionId) = await NewAttemptWithSessionAsync();
        var eventId = "evt_" + Guid.NewGuid().ToString("n");

        var response = await _client.SendAsync(TestWebhookSigner.SignedDelivery(GateEvents.Json(eventId, "gate_session.teleported", sessionId, attempt.Id)));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Processed(eventId))!.Outcome.ShouldBe(EventOutcome.UnhandledType);
        (await Attempt(attempt.Id)).Status.ShouldBe(AttemptStatus.RequiresAction);
        (await Timeline(attempt.Id)).ShouldContain(e => e.Kind == TimelineKind.EventUnhandledType && e.EventId == eventId);
    }

    [Fact]
    public async Task A_kyc_notice_is_recorded_without_changing_state()
    {
        var (attempt, sessionId) = await NewAttemptWithSessionAsync();
        var eventId = "evt_" + Guid.NewGuid().ToString("n");

        (await _client.SendAsync(TestWebhookSigner.SignedDelivery(GateEvents.Json(eventId, GateEventTypes.KycRequired, sessionId, attempt.Id)))).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await Processed(eventId))!.Outcome.ShouldBe(EventOutcome.Recorded);
        (await Attempt(attempt.Id)).Status.ShouldBe(AttemptStatus.RequiresAction);
    }

    [Fact]
    public async Task A_terminal_event_before_the_session_is_attached_attaches_it_by_user_reference()
    {
        var attempts = App.Services.GetRequiredService<AttemptWriter>();
        var attempt = await attempts.CreateAsync(new NewAttempt("acct-1", CheckoutFlow.OnRamp, 50m, "EUR", "USDC", "base"), default);
        var sessionId = "gs_" + Guid.NewGuid().ToString("n");

        var response = await _client.SendAsync(TestWebhookSigner.SignedDelivery(GateEvents.Json("evt_" + Guid.NewGuid().ToString("n"), GateEventTypes.SessionCompleted, sessionId, attempt.Id, "tx_early")));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var stored = await Attempt(attempt.Id);
        stored.GateSessionId.ShouldBe(sessionId);
        stored.Status.ShouldBe(AttemptStatus.Fulfilled);
    }

    [Fact]
    public async Task A_created_event_racing_ahead_of_the_api_response_attaches_once_and_keeps_the_request_id()
    {
        var attempts = App.Services.GetRequiredService<AttemptWriter>();
        var attempt = await attempts.CreateAsync(new NewAttempt("acct-1", CheckoutFlow.OffRamp, 80m, "EUR", "ETH", "base"), default);
        var sessionId = "gs_" + Guid.NewGuid().ToString("n");

        (await _client.SendAsync(TestWebhookSigner.SignedDelivery(GateEvents.Json("evt_" + Guid.NewGuid().ToString("n"), GateEventTypes.SessionCreated, sessionId, attempt.Id))))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        var attached = (await attempts.AttachSessionAsync(attempt.Id, sessionId, "req_create_1", default)).Attempt;

        attached!.Status.ShouldBe(AttemptStatus.RequiresAction);
        attached.GateSessionId.ShouldBe(sessionId);
        var timeline = await Timeline(attempt.Id);
        timeline.Count(e => e.ToStatus == AttemptStatus.RequiresAction).ShouldBe(1);
        timeline.ShouldContain(e => e.Kind == TimelineKind.GateRequest && e.GateRequestId == "req_create_1");
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"evt_1\"")]
    [InlineData("{\"type\":\"gate_session.completed\"}")]
    [InlineData("{\"id\":42,\"type\":\"gate_session.completed\"}")]
    [InlineData("{\"id\":\"evt_1\"}")]
    [InlineData("{\"id\":\"evt_1\",\"type\":null}")]
    [InlineData("{not json")]
    public async Task A_signed_body_that_is_not_an_event_object_gives_400(string json)
    {
        var response = await _client.SendAsync(TestWebhookSigner.SignedDelivery(json));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await App.WithDbAsync(db => db.RejectedDeliveries.OrderByDescending(r => r.Id).FirstAsync())).Reason.ShouldBe("malformed_body");
    }

    [Fact]
    public async Task A_missing_signature_gives_400()
    {
        var response = await _client.SendAsync(TestWebhookSigner.Delivery("{\"id\":\"evt_x\",\"type\":\"gate_session.completed\"}"u8.ToArray(), null));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        problem.GetProperty("status").GetInt32().ShouldBe(400);
    }

    [Fact]
    public async Task Health_and_readiness_answer()
    {
        (await _client.GetAsync("/healthz")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var ready = await _client.GetAsync("/readyz");
        ready.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ready.Content.ReadAsStringAsync()).ShouldBe("Healthy");
    }

    [Fact]
    public async Task The_database_was_created_by_migration()
    {
        (await App.WithDbAsync(db => db.Database.GetAppliedMigrationsAsync())).ShouldNotBeEmpty();
        (await App.WithDbAsync(db => db.Database.GetPendingMigrationsAsync())).ShouldBeEmpty();
    }

    private async Task<(CheckoutAttempt Attempt, string SessionId)> NewAttemptWithSessionAsync()
    {
        var attempts = App.Services.GetRequiredService<AttemptWriter>();
        var attempt = await attempts.CreateAsync(new NewAttempt("acct-1", CheckoutFlow.OnRamp, 100m, "EUR", "USDC", "polygon"), default);
        var sessionId = "gs_" + Guid.NewGuid().ToString("n");
        (await attempts.AttachSessionAsync(attempt.Id, sessionId, "req_test", default)).Attempt!.Status.ShouldBe(AttemptStatus.RequiresAction);
        return (attempt, sessionId);
    }

    private Task<CheckoutAttempt> Attempt(string id) => App.WithDbAsync(db => db.Attempts.AsNoTracking().SingleAsync(a => a.Id == id));

    private Task<List<TimelineEntry>> Timeline(string id) => App.WithDbAsync(db => db.Timeline.Where(e => e.AttemptId == id).OrderBy(e => e.Id).ToListAsync());

    private Task<ProcessedEvent?> Processed(string eventId) => App.WithDbAsync(db => db.ProcessedEvents.SingleOrDefaultAsync(e => e.EventId == eventId));
}

public sealed class WebhookEndpointTestsOnSqlite(WebhookEndpointTestsOnSqlite.Factory app) : WebhookEndpointTests<WebhookEndpointTestsOnSqlite.Factory>(app)
{
    public sealed class Factory : PortalAppFactory;

    [Fact]
    public async Task The_database_file_is_in_wal_mode()
    {
        await using var connection = new SqliteConnection($"Data Source={App.DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        (await command.ExecuteScalarAsync()).ShouldBe("wal");
    }
}

public sealed class WebhookEndpointTestsOnPostgreSql(WebhookEndpointTestsOnPostgreSql.Factory app) : WebhookEndpointTests<WebhookEndpointTestsOnPostgreSql.Factory>(app)
{
    public sealed class Factory : PostgresPortalAppFactory;
}
