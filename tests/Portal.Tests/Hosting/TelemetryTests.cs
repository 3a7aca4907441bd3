using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Portal.Core.Attempts;
using Portal.Core.Checkout;
using Portal.Core.Gate;
using Portal.Core.Reads;
using Portal.Core.Telemetry;
using Portal.Tests.Infrastructure;
using Portal.Tests.Webhooks;

namespace Portal.Tests.Hosting;

/// <summary>What an operator sees: the Portal meter's instruments, traces linking a delivery to its attempt, and OTLP export.</summary>
public sealed class TelemetryTests : IClassFixture<TelemetryTests.Factory>
{
    private readonly Factory _app;

    public TelemetryTests(Factory app)
    {
        _app = app;
        app.Gate.Reset();
    }

    public sealed class Factory : ScriptedGateFactory;

    private IMeterFactory Meters => _app.Services.GetRequiredService<IMeterFactory>();

    [Fact]
    public async Task Deliveries_are_counted_by_outcome_and_type_with_their_duration_and_signature_skew()
    {
        using var deliveries = new MetricCollector<long>(Meters, PortalTelemetry.Name, "portal.webhook.deliveries");
        using var duration = new MetricCollector<double>(Meters, PortalTelemetry.Name, "portal.webhook.ingest.duration");
        using var skew = new MetricCollector<double>(Meters, PortalTelemetry.Name, "portal.webhook.signature.skew");
        var client = _app.CreateClient();
        var json = $$$"""{"id":"evt_{{{Guid.NewGuid():n}}}","type":"partner.quota.warning"}""";

        await client.SendAsync(TestWebhookSigner.SignedDelivery(json, at: DateTimeOffset.UtcNow.AddSeconds(-42)));
        await client.SendAsync(TestWebhookSigner.SignedDelivery(json));
        await client.SendAsync(TestWebhookSigner.SignedDelivery(json, secret: "whsec_forged"));

        var seen = deliveries.GetMeasurementSnapshot().Select(m => ((string?)m.Tags["outcome"], (string?)m.Tags["event.type"])).ToList();
        seen.ShouldBe([("processed", "partner.quota.warning"), ("duplicate", "partner.quota.warning"), ("signature_rejected", "unverified")]);
        duration.GetMeasurementSnapshot().Count.ShouldBe(3);
        skew.GetMeasurementSnapshot().ShouldContain(m => m.Value >= 42 && (bool)m.Tags["valid"]!);
    }

    [Fact]
    public async Task Attempts_opened_and_closed_by_outcome_and_closer_with_the_time_to_close()
    {
        using var opened = new MetricCollector<long>(Meters, PortalTelemetry.Name, "portal.attempts.opened");
        using var closed = new MetricCollector<long>(Meters, PortalTelemetry.Name, "portal.attempts.closed");
        using var timeToClose = new MetricCollector<double>(Meters, PortalTelemetry.Name, "portal.attempts.time_to_close");
        var writer = _app.Services.GetRequiredService<AttemptWriter>();
        var attempt = await writer.CreateAsync(new NewAttempt("acct-metrics", CheckoutFlow.Swap, 1m, "ETH", "USDC", "base"), default);
        await writer.AttachSessionAsync(attempt.Id, "gs_" + Guid.NewGuid().ToString("n"), null, default);
        var session = (await _app.Services.GetRequiredService<AttemptReads>().GetAsync(attempt.Id, default))!.GateSessionId!;

        await _app.CreateClient().SendAsync(TestWebhookSigner.SignedDelivery(
            GateEvents.Json("evt_" + Guid.NewGuid().ToString("n"), GateEventTypes.SessionFailed, session, attempt.Id)));

        opened.GetMeasurementSnapshot().ShouldContain(m => (string?)m.Tags["flow"] == "swap");
        var close = closed.GetMeasurementSnapshot().ShouldHaveSingleItem();
        close.Tags["outcome"].ShouldBe("failed");
        close.Tags["closer"].ShouldBe("webhook");
        timeToClose.GetMeasurementSnapshot().ShouldHaveSingleItem().Value.ShouldBeGreaterThanOrEqualTo(0);
    }

    [Fact]
    public async Task Calls_to_0Gate_are_timed_by_endpoint_and_status()
    {
        using var gate = new MetricCollector<double>(Meters, PortalTelemetry.Name, "portal.gate.request.duration");
        await using var scope = _app.Services.CreateAsyncScope();

        await scope.ServiceProvider.GetRequiredService<CheckoutService>()
            .StartAsync("acct-timed", new StartCheckout(CheckoutFlow.OnRamp, "15", "EUR", "USDC", "polygon", null, Guid.NewGuid()), new Uri("https://portal.example/"), default);

        gate.GetMeasurementSnapshot().ShouldContain(m => (string?)m.Tags["endpoint"] == "create_session" && (string?)m.Tags["status"] == "200");
    }

    [Fact]
    public async Task Open_and_needs_review_gauges_read_the_store()
    {
        using var open = new MetricCollector<int>(Meters, PortalTelemetry.Name, "portal.attempts.open");
        await _app.Services.GetRequiredService<AttemptWriter>().CreateAsync(new NewAttempt("acct-gauge", CheckoutFlow.OnRamp, 5m, "EUR", "USDC", "base"), default);

        open.RecordObservableInstruments();

        open.LastMeasurement!.Value.ShouldBeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public async Task The_trace_of_a_delivery_names_its_attempt_and_the_receipt_fetch_links_back_to_it()
    {
        var activities = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == PortalTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Add,
        };
        ActivitySource.AddActivityListener(listener);
        var writer = _app.Services.GetRequiredService<AttemptWriter>();
        var attempt = await writer.CreateAsync(new NewAttempt("acct-traced", CheckoutFlow.OnRamp, 5m, "EUR", "USDC", "base"), default);
        var session = "gs_" + Guid.NewGuid().ToString("n");
        await writer.AttachSessionAsync(attempt.Id, session, null, default);

        await _app.CreateClient().SendAsync(TestWebhookSigner.SignedDelivery(
            GateEvents.Json("evt_" + Guid.NewGuid().ToString("n"), GateEventTypes.SessionCompleted, session, attempt.Id, "tx_traced")));
        await WaitForAsync(() => activities.Any(a => a.OperationName == "job.fetch_receipt" && (string?)a.GetTagItem("portal.attempt.id") == attempt.Id));

        var delivery = activities.Single(a => a.OperationName == "webhook.receive" && (string?)a.GetTagItem("portal.attempt.id") == attempt.Id);
        delivery.GetTagItem("gate.event.type").ShouldBe(GateEventTypes.SessionCompleted);
        delivery.GetTagItem("portal.webhook.outcome").ShouldBe("processed");
        var receipt = activities.Single(a => a.OperationName == "job.fetch_receipt" && (string?)a.GetTagItem("portal.attempt.id") == attempt.Id);
        receipt.Links.ShouldContain(link => link.Context.TraceId == delivery.TraceId && link.Context.SpanId == delivery.SpanId);
    }

    [Fact]
    public async Task With_an_OTLP_endpoint_configured_metrics_and_traces_are_exported_there()
    {
        await using var collector = await OtlpCollector.StartAsync();
        await using var app = new ExportingFactory(collector.Endpoint);

        await app.CreateClient().SendAsync(TestWebhookSigner.SignedDelivery($$$"""{"id":"evt_{{{Guid.NewGuid():n}}}","type":"partner.quota.warning"}"""));

        await WaitForAsync(() => collector.Received("/v1/metrics", "portal.webhook.deliveries") && collector.Received("/v1/traces", "webhook.receive"));
    }

    private sealed class ExportingFactory(Uri endpoint) : PortalAppFactory
    {
        protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings() =>
        [
            new("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint.ToString()),
            new("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
            new("OTEL_METRIC_EXPORT_INTERVAL", "200"),
            new("OTEL_BSP_SCHEDULE_DELAY", "200"),
        ];
    }

    /// <summary>A stand-in OTLP/HTTP receiver on loopback: keeps every body it is sent, by path.</summary>
    private sealed class OtlpCollector : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentQueue<(string Path, byte[] Body)> _received = new();

        private OtlpCollector(WebApplication app) => _app = app;

        public Uri Endpoint { get; private set; } = null!;

        public static async Task<OtlpCollector> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var collector = new OtlpCollector(app);
            app.MapPost("/v1/{signal}", async (HttpContext http) =>
            {
                using var body = new MemoryStream();
                await http.Request.Body.CopyToAsync(body);
                collector._received.Enqueue((http.Request.Path, body.ToArray()));
                return Results.Ok();
            });
            await app.StartAsync();
            collector.Endpoint = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            return collector;
        }

        /// <summary>Protobuf keeps strings as UTF-8 bytes, so a name is found in the raw body.</summary>
        public bool Received(string path, string text) =>
            _received.Any(r => r.Path == path && Encoding.UTF8.GetString(r.Body).Contains(text, StringComparison.Ordinal));

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!condition())
        {
            await Task.Delay(25, limit.Token);
        }
    }
}
