using System.Net;
using Gate.Sandbox.Storage;
using Gate.Sandbox.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Admin;
using Portal.Core.Attempts;
using Portal.Core.Checkout;
using Portal.Core.Gate;
using Portal.Core.Persistence;
using Portal.Core.Records;
using Portal.Core.Webhooks;
using Portal.Tests.Infrastructure;
using Portal.Tests.Sandbox;

namespace Portal.Tests.Admin;

/// <summary>
/// The developer tools end to end: the real portal host asks a real sandbox for a resend or a test event, and the
/// sandbox delivers it, signed, to the portal's webhook endpoint (its webhook client wired to the in-memory host).
/// </summary>
public abstract class DeveloperToolsTests(StoreProvider provider)
{
    private static readonly TimeSpan ArrivalTimeout = TimeSpan.FromSeconds(20);

    private static readonly StaffMember Ada = new("ada", "Ada", "admin");

    [Fact]
    public async Task A_test_event_is_delivered_signed_and_recorded_without_touching_any_attempt()
    {
        await using var system = await SandboxedPortal.StartAsync(provider);
        var open = await system.Portal.Services.GetRequiredService<AttemptWriter>().CreateAsync(new NewAttempt("acct_dev", CheckoutFlow.OnRamp, 10m, "EUR"), default);
        var tools = system.Tools;

        var sent = await tools.SendTestEventAsync(Ada, "gate_session.completed", default);

        sent.Succeeded.ShouldBeTrue(sent.Message);
        sent.RequestId.ShouldStartWith("req_");
        var arrived = await system.ArrivalAsync(sent.EventId!, duplicate: false);
        arrived.EventType.ShouldBe("gate_session.completed");
        arrived.Outcome.ShouldBe("unknown_session");
        var stored = await system.Portal.WithDbAsync(db => db.ProcessedEvents.SingleAsync(e => e.EventId == sent.EventId));
        stored.SecretFingerprint.ShouldBe(WebhookSecretFingerprint.Of(PortalAppFactory.WebhookSecret));
        (await system.Portal.WithDbAsync(db => db.Attempts.SingleAsync(a => a.Id == open.Id))).Status.ShouldBe(AttemptStatus.PendingSession);
    }

    [Fact]
    public async Task A_resent_event_arrives_again_and_the_portal_records_it_as_a_duplicate()
    {
        await using var system = await SandboxedPortal.StartAsync(provider);
        var tools = system.Tools;
        var sent = await tools.SendTestEventAsync(Ada, "partner.quota.warning", default);
        await system.ArrivalAsync(sent.EventId!, duplicate: false);
        var processedBefore = await system.Portal.WithDbAsync(db => db.ProcessedEvents.CountAsync());

        var resent = await tools.ResendAsync(Ada, sent.EventId, default);

        resent.Succeeded.ShouldBeTrue(resent.Message);
        resent.EventId.ShouldBe(sent.EventId);
        var duplicate = await system.ArrivalAsync(sent.EventId!, duplicate: true);
        duplicate.EventType.ShouldBe("partner.quota.warning");
        (await system.Portal.WithDbAsync(db => db.ProcessedEvents.CountAsync())).ShouldBe(processedBefore);
        // Both requests are on the record: who, what, the result and 0Gate's request id.
        var audit = await system.Portal.WithDbAsync(db => db.AuditEntries.Where(e => e.ActorSubject == "ada").OrderBy(e => e.Id).ToListAsync());
        audit.Select(e => (e.Action, e.Result)).ShouldBe([(AuditAction.SendTestEvent, AuditResult.Sent), (AuditAction.ResendEvent, AuditResult.Sent)]);
        audit[0].GateRequestId.ShouldBe(sent.RequestId);
        audit[1].GateRequestId.ShouldBe(resent.RequestId);
        audit[1].Detail.ShouldContain(sent.EventId!);
        // 0Gate's side: two deliveries of the one event, both answered 200 (the second once the sandbox records it).
        var store = system.Sandbox.App.Services.GetRequiredService<SandboxStore>();
        await Wait.UntilAsync(
            async () => (await store.RunAsync(db => db.Deliveries.Where(d => d.EventId == sent.EventId).Select(d => d.LastHttpStatus).ToListAsync()))
                is [200, 200],
            ArrivalTimeout,
            () => "the sandbox did not record both deliveries as answered 200");
    }

    [Fact]
    public async Task A_conflicting_terminal_event_for_a_closed_attempt_flags_it_for_review_and_is_audited_on_it()
    {
        await using var system = await SandboxedPortal.StartAsync(provider);
        await using var scope = system.Portal.Services.CreateAsyncScope();
        var started = await scope.ServiceProvider.GetRequiredService<CheckoutService>().StartAsync("acct_conflict",
            new StartCheckout(CheckoutFlow.OnRamp, "10", "EUR", "USDC", "polygon", null, Guid.NewGuid()), new Uri(SandboxTestHost.AllowedOrigin + "/"), default);
        started.Succeeded.ShouldBeTrue(started.Problem);
        var attempt = started.Attempt!;
        var open = await system.Tools.SendConflictingEventAsync(Ada, attempt.Id, "gate_session.expired", default);
        await system.Portal.Services.GetRequiredService<GateClient>().CancelSessionAsync(attempt.GateSessionId!, default);
        await Wait.UntilAsync(async () => (await system.Portal.WithDbAsync(db => db.Attempts.SingleAsync(a => a.Id == attempt.Id))).Status == AttemptStatus.Cancelled,
            ArrivalTimeout, () => "the sandbox's cancel never closed the attempt");
        var same = await system.Tools.SendConflictingEventAsync(Ada, attempt.Id, "gate_session.cancelled", default);

        var sent = await system.Tools.SendConflictingEventAsync(Ada, attempt.Id, "gate_session.completed", default);

        open.Succeeded.ShouldBeFalse();
        open.Message.ShouldContain("needs a closed attempt");
        same.Message.ShouldContain("already cancelled");
        sent.Succeeded.ShouldBeTrue(sent.Message);
        (await system.ArrivalAsync(sent.EventId!, duplicate: false)).Outcome.ShouldBe("ignored_after_terminal");
        var after = await system.Portal.WithDbAsync(db => db.Attempts.SingleAsync(a => a.Id == attempt.Id));
        (after.Status, after.NeedsReview).ShouldBe((AttemptStatus.Cancelled, true));
        var entry = (await system.Portal.WithDbAsync(db => db.AuditEntries.Where(e => e.AttemptId == attempt.Id).ToListAsync())).ShouldHaveSingleItem();
        (entry.Action, entry.Result, entry.GateRequestId).ShouldBe((AuditAction.SendTestEvent, AuditResult.Sent, sent.RequestId));
    }

    [Fact]
    public async Task Bad_input_and_unknown_events_come_back_as_messages_not_errors()
    {
        await using var system = await SandboxedPortal.StartAsync(provider);
        var tools = system.Tools;

        var badType = await tools.SendTestEventAsync(Ada, "Not A Type", default);
        var badId = await tools.ResendAsync(Ada, "evt_bad/../id", default);
        var unknown = await tools.ResendAsync(Ada, "evt_never_sent", default);

        badType.Succeeded.ShouldBeFalse();
        badType.Message.ShouldContain("dotted lower-case name");
        badId.Message.ShouldBe("Choose an event to resend.");
        unknown.Succeeded.ShouldBeFalse();
        unknown.Message.ShouldBe("0Gate has no event evt_never_sent.");
        unknown.RequestId.ShouldStartWith("req_");
        // Refused by the portal before anything was sent: not on the record. Refused by 0Gate: on the record as failed.
        var audit = await system.Portal.WithDbAsync(db => db.AuditEntries.ToListAsync());
        audit.ShouldHaveSingleItem().Result.ShouldBe(AuditResult.Failed);
        audit[0].GateRequestId.ShouldBe(unknown.RequestId);
    }

    [Fact]
    public async Task The_page_opens_for_an_admin_in_test_mode_and_lists_received_deliveries()
    {
        await using var system = await SandboxedPortal.StartAsync(provider);
        var sent = await system.Tools.SendTestEventAsync(Ada, "gate_session.failed", default);
        await system.ArrivalAsync(sent.EventId!, duplicate: false);
        var ada = await system.Portal.SignedInClientAsync("ada", "Ada", "admin");

        var response = await ada.GetAsync("/admin/developer-tools");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        html.ShouldContain("Send test event");
        html.ShouldContain(sent.EventId!);
        html.ShouldNotContain(SandboxTestHost.SecretKey);
        html.ShouldNotContain(PortalAppFactory.WebhookSecret);
    }

    /// <summary>A sandbox whose webhooks go to an in-memory portal host, and that host pointed at the sandbox.</summary>
    private sealed class SandboxedPortal : IAsyncDisposable
    {
        private SandboxedPortal(SandboxTestHost sandbox, PointedFactory portal)
        {
            Sandbox = sandbox;
            Portal = portal;
        }

        public SandboxTestHost Sandbox { get; }

        public PointedFactory Portal { get; }

        public DeveloperTools Tools => Portal.Services.GetRequiredService<DeveloperTools>();

        public static async Task<SandboxedPortal> StartAsync(StoreProvider provider)
        {
            PortalAppFactory? portal = null;
            var sandbox = await SandboxTestHost.StartAsync(
                new Dictionary<string, string?>
                {
                    ["Sandbox:Partner:WebhookSecret"] = PortalAppFactory.WebhookSecret,
                    ["Sandbox:Partner:WebhookUrl"] = "http://localhost/webhooks/0gate",
                },
                configureServices: services => services.AddHttpClient(WebhookDeliverer.HttpClientName)
                    .ConfigurePrimaryHttpMessageHandler(() => (portal ?? throw new InvalidOperationException("The portal is not up yet.")).Server.CreateHandler()));
            var factory = new PointedFactory(sandbox.BaseAddress.ToString(), provider);
            _ = factory.Server; // start the host before the sandbox delivers anything
            portal = factory;
            return new SandboxedPortal(sandbox, factory);
        }

        /// <summary>Waits until the portal lists the delivery (its first arrival, or a repeat) among those it received.</summary>
        public async Task<ReceivedDelivery> ArrivalAsync(string eventId, bool duplicate)
        {
            ReceivedDelivery? found = null;
            await Wait.UntilAsync(
                async () =>
                {
                    var received = await Tools.RecentDeliveriesAsync(default);
                    found = received.FirstOrDefault(d => d.EventId == eventId && d.Duplicate == duplicate);
                    return found is not null;
                },
                ArrivalTimeout,
                () => $"{eventId} ({(duplicate ? "duplicate" : "first delivery")}) never reached the portal");
            return found!;
        }

        public async ValueTask DisposeAsync()
        {
            await Sandbox.DisposeAsync();
            await Portal.DisposeAsync();
        }
    }

    private sealed class PointedFactory(string gateUrl, StoreProvider provider) : PortalAppFactory
    {
        public override StoreProvider Provider => provider;

        protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings() =>
        [
            new("Gate:ApiBaseUrl", gateUrl),
            new("Gate:HostedBaseUrl", gateUrl),
            new("Gate:SecretKey", SandboxTestHost.SecretKey),
            new("Gate:PublishableKey", SandboxTestHost.PublishableKey),
        ];
    }
}

public sealed class DeveloperToolsTestsOnSqlite() : DeveloperToolsTests(StoreProvider.Sqlite);

public sealed class DeveloperToolsTestsOnPostgreSql() : DeveloperToolsTests(StoreProvider.PostgreSql);
