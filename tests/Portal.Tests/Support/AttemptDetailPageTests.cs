using AngleSharp.Dom;
using Bunit;
using Portal.Components.Pages.Support;
using Portal.Core.Attempts;
using Portal.Core.Reads;
using Portal.Core.Records;
using Portal.Core.Webhooks;

namespace Portal.Tests.Support;

/// <summary>The attempt page in bUnit on the real Core services, with 0Gate scripted.</summary>
public sealed class AttemptDetailPageTests : SupportComponentTest
{
    [Fact]
    public async Task Shows_every_id_the_environment_the_session_urls_the_user_reference_and_the_receipt_request_id()
    {
        var attempt = await AttemptWithSessionAsync("gs_detail_ids", "completed");
        await Writer.UpdateAsync(attempt.Id, (a, now) => a.Close(AttemptStatus.Fulfilled, new CloseCause(AttemptCloser.Webhook, "test", "evt_closing", "tx_detail"), now), default);
        await Writer.StoreReceiptAsync(new AttemptReceipt(attempt.Id, "tx_detail", "BUY", Clock.GetUtcNow()), "req_receipt_42", default);

        var cut = Render<AttemptDetailPage>(p => p.Add(x => x.AttemptId, attempt.Id));

        Text(cut, "fact-attempt-id").ShouldBe(attempt.Id);
        Text(cut, "fact-environment").ShouldContain("test");
        Text(cut, "fact-session-id").ShouldContain("gs_detail_ids");
        Text(cut, "fact-tx-refid").ShouldContain("tx_detail");
        Text(cut, "fact-closing-event").ShouldContain("evt_closing");
        Text(cut, "fact-user-reference").ShouldContain(attempt.Id);
        Text(cut, "fact-return-url").ShouldContain($"https://portal.example/checkout/{attempt.Id}/return");
        Text(cut, "fact-return-url").ShouldContain("origin https://portal.example");
        Text(cut, "fact-cancel-url").ShouldContain($"https://portal.example/checkout/{attempt.Id}/cancel");
        Text(cut, "fact-receipt").ShouldContain("req_receipt_42");
        cut.FindAll("[data-testid=attempt-facts] [data-testid=copy-button]").Count.ShouldBeGreaterThanOrEqualTo(6);
        cut.FindAll("[data-testid=support-receipt] [data-testid=copy-button]").Count.ShouldBeGreaterThanOrEqualTo(1); // the receipt's request id
        cut.Markup.ShouldNotContain("whsec_");
        cut.Markup.ShouldNotContain("sk_test_");
    }

    [Fact]
    public async Task Each_event_names_the_secret_that_verified_it_by_fingerprint_only()
    {
        var attempt = await AttemptWithSessionAsync("gs_detail_fp");
        await Core.WithDbAsync(async db =>
        {
            foreach (var (eventId, secret) in new[] { ("evt_current", "whsec_core_harness"), ("evt_retired", "whsec_long_gone") })
            {
                db.ProcessedEvents.Add(new ProcessedEvent(eventId, "gate_session.created", Clock.GetUtcNow(), Clock.GetUtcNow())
                {
                    AttemptId = attempt.Id,
                    SecretFingerprint = WebhookSecretFingerprint.Of(secret),
                    Outcome = EventOutcome.Recorded,
                });
                db.Timeline.Add(new TimelineEntry(attempt.Id, TimelineKind.EventAccepted, "recorded", Clock.GetUtcNow()) { EventId = eventId, EventType = "gate_session.created" });
            }

            return await db.SaveChangesAsync();
        });

        var cut = Render<AttemptDetailPage>(p => p.Add(x => x.AttemptId, attempt.Id));

        var verified = cut.FindAll("[data-testid=event-verified-by]").Select(e => e.TextContent).ToList();
        verified.Count.ShouldBe(2);
        verified[0].ShouldContain(WebhookSecretFingerprint.Of("whsec_core_harness"));
        verified[0].ShouldContain("the current secret");
        verified[1].ShouldContain(WebhookSecretFingerprint.Of("whsec_long_gone"));
        verified[1].ShouldContain("a secret no longer configured");
        cut.Markup.ShouldNotContain("whsec_");
    }

    [Fact]
    public async Task An_events_0Gate_deliveries_are_read_only_when_expanded_with_each_try()
    {
        var attempt = await AttemptWithSessionAsync("gs_detail_deliveries");
        await Writer.RecordAsync(new TimelineEntry(attempt.Id, TimelineKind.EventAccepted, "created", Clock.GetUtcNow()) { EventId = "evt_deliv_1", EventType = "gate_session.created" }, default);
        var firstTry = new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        Gate.SetDeliveries("evt_deliv_1", $$"""
            [{"id":"whd_1","event_id":"evt_deliv_1","event_type":"gate_session.created","status":"pending","attempt":2,"http_status":null,
              "error":"connection failed: ConnectionError","next_retry_at":{{firstTry + 120_000}},"created_at":{{firstTry}},"delivered_at":null,
              "attempts":[{"attempt":1,"http_status":500,"error":null,"attempted_at":{{firstTry}},"next_retry_at":{{firstTry + 60_000}}},
                          {"attempt":2,"http_status":null,"error":"connection failed: ConnectionError","attempted_at":{{firstTry + 60_000}},"next_retry_at":{{firstTry + 120_000}}}]}]
            """);

        var cut = Render<AttemptDetailPage>(p => p.Add(x => x.AttemptId, attempt.Id));
        Gate.DeliveryReads.ShouldBe(0); // nothing is asked of 0Gate until support expands the event

        DeliveriesButton(cut, "evt_deliv_1").Click();

        cut.WaitForAssertion(() => cut.FindAll("[data-testid=delivery-attempt]").Count.ShouldBe(2));
        var delivery = cut.Find("[data-testid=event-delivery]").TextContent;
        delivery.ShouldContain("pending");
        delivery.ShouldContain("2 tries");
        delivery.ShouldContain("next retry 2026-11-23 08:02:00 UTC");
        var tries = cut.FindAll("[data-testid=delivery-attempt]").Select(e => e.TextContent).ToList();
        tries[0].ShouldContain("#1");
        tries[0].ShouldContain("HTTP 500");
        tries[0].ShouldContain("next retry 2026-11-23 08:01:00 UTC");
        tries[1].ShouldContain("#2");
        tries[1].ShouldContain("no response");
        tries[1].ShouldContain("connection failed: ConnectionError");
        Gate.DeliveryReads.ShouldBe(1);
    }

    [Fact]
    public async Task When_0Gate_is_down_the_deliveries_say_so_and_the_page_stays()
    {
        var attempt = await AttemptWithSessionAsync("gs_detail_down");
        await Writer.RecordAsync(new TimelineEntry(attempt.Id, TimelineKind.EventAccepted, "created", Clock.GetUtcNow()) { EventId = "evt_down_1" }, default);
        Gate.FailDeliveries(10);

        var cut = Render<AttemptDetailPage>(p => p.Add(x => x.AttemptId, attempt.Id));
        DeliveriesButton(cut, "evt_down_1").Click();

        // The client's retries back off on the (fake) clock: move it on in small steps until they are spent.
        await Infrastructure.Wait.UntilAsync(() =>
        {
            Clock.Advance(TimeSpan.FromMilliseconds(300));
            return Task.FromResult(cut.Markup.Contains("event-deliveries-problem", StringComparison.Ordinal));
        }, TimeSpan.FromSeconds(20), () => $"no problem shown after {Gate.DeliveryReads} reads");
        cut.Find("[data-testid=event-deliveries-problem]").TextContent.ShouldContain("0Gate could not be reached");
        Text(cut, "fact-attempt-id").ShouldBe(attempt.Id);
    }

    [Fact]
    public async Task When_0Gate_is_slow_the_deliveries_give_up_after_a_few_seconds_with_a_message()
    {
        var attempt = await AttemptWithSessionAsync("gs_detail_slow");
        await Writer.RecordAsync(new TimelineEntry(attempt.Id, TimelineKind.EventAccepted, "created", Clock.GetUtcNow()) { EventId = "evt_slow_1" }, default);
        Gate.HoldDeliveries = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously); // never answers

        var cut = Render<AttemptDetailPage>(p => p.Add(x => x.AttemptId, attempt.Id));
        DeliveriesButton(cut, "evt_slow_1").Click();
        await Infrastructure.Wait.UntilAsync(() => Task.FromResult(Gate.DeliveryReads == 1), TimeSpan.FromSeconds(10), () => "the page never asked 0Gate");
        Clock.Advance(EventDeliveryHistory.Patience + TimeSpan.FromSeconds(1));

        cut.WaitForAssertion(() => cut.Find("[data-testid=event-deliveries-problem]").TextContent.ShouldContain("did not answer within 5 seconds"));
    }

    [Fact]
    public async Task Reconcile_is_audited_and_the_entry_shows_on_the_page()
    {
        var attempt = await AttemptWithSessionAsync("gs_detail_reconcile", "completed");

        var cut = Render<AttemptDetailPage>(p => p.Add(x => x.AttemptId, attempt.Id));
        Button(cut, "Reconcile").Click();

        cut.WaitForAssertion(() => cut.Find("[data-testid=support-action-result]").TextContent.ShouldContain("from requires_action to fulfilled"));
        var entry = (await AuditAsync(attempt.Id)).ShouldHaveSingleItem();
        (entry.Action, entry.Result, entry.ActorSubject, entry.ActorName, entry.ActorRole).ShouldBe((AuditAction.Reconcile, AuditResult.Changed, "sam", "Sam", "support"));
        entry.Detail.ShouldStartWith("requires_action → fulfilled");
        cut.WaitForAssertion(() => cut.Find("[data-testid=attempt-audit]").TextContent.ShouldContain("reconcile"));
        cut.Find("[data-testid=attempt-audit]").TextContent.ShouldContain("changed");
    }

    [Fact]
    public async Task Cancel_session_needs_a_reason_and_is_audited_with_it()
    {
        var attempt = await AttemptWithSessionAsync("gs_detail_cancel");

        var cut = Render<AttemptDetailPage>(p => p.Add(x => x.AttemptId, attempt.Id));
        Button(cut, "Cancel session").HasAttribute("disabled").ShouldBeTrue(); // no reason yet
        Input(cut, "cancel-reason").Input("Customer asked by phone to stop");
        Button(cut, "Cancel session").Click();

        cut.WaitForAssertion(() => cut.Find("[data-testid=support-action-result]").TextContent.ShouldContain("0Gate cancelled the session"));
        Gate.CancelCalls.ShouldBe(1);
        Gate.SessionStatus("gs_detail_cancel").ShouldBe("cancelled");
        var entry = (await AuditAsync(attempt.Id)).ShouldHaveSingleItem();
        (entry.Action, entry.Result, entry.Reason).ShouldBe((AuditAction.CancelSession, AuditResult.Changed, "Customer asked by phone to stop"));
        cut.WaitForAssertion(() => cut.Find("[data-testid=attempt-audit]").TextContent.ShouldContain("Customer asked by phone to stop"));
        cut.FindAll("button").ShouldNotContain(b => b.TextContent.Trim() == "Cancel session"); // closed now: nothing left to cancel
    }

    [Fact]
    public async Task Resolving_a_review_needs_a_note_and_is_audited_with_it()
    {
        var attempt = await AttemptWithSessionAsync("gs_detail_review");
        await Core.FlagForReviewAsync(attempt.Id);

        var cut = Render<AttemptDetailPage>(p => p.Add(x => x.AttemptId, attempt.Id));
        Button(cut, "Mark review resolved").HasAttribute("disabled").ShouldBeTrue();
        Input(cut, "resolution-note").Input("0Gate confirms it failed; the late event is stale");
        Button(cut, "Mark review resolved").Click();

        cut.WaitForAssertion(() => cut.Find("[data-testid=support-action-result]").TextContent.ShouldContain("Review marked as resolved"));
        var entry = (await AuditAsync(attempt.Id)).ShouldHaveSingleItem();
        (entry.Action, entry.Result, entry.Reason).ShouldBe((AuditAction.ResolveReview, AuditResult.Changed, "0Gate confirms it failed; the late event is stale"));
        cut.WaitForAssertion(() => cut.Find("[data-testid=attempt-audit]").TextContent.ShouldContain("resolve review"));
    }

    private static string Text(IRenderedComponent<AttemptDetailPage> cut, string testId) => cut.Find($"[data-testid={testId}]").TextContent.Trim();

    private static IElement Button(IRenderedComponent<AttemptDetailPage> cut, string name) =>
        cut.FindAll("button").Single(b => b.TextContent.Trim() == name);

    private static IElement DeliveriesButton(IRenderedComponent<AttemptDetailPage> cut, string eventId) =>
        cut.Find($"[data-testid=event-deliveries][data-event-id={eventId}] button");

    private static IElement Input(IRenderedComponent<AttemptDetailPage> cut, string testId)
    {
        var element = cut.Find($"[data-testid={testId}]");
        return element.TagName is "INPUT" or "TEXTAREA" ? element : element.QuerySelector("input, textarea")!;
    }
}
