using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Attempts;
using Portal.Core.Gate;
using Portal.Core.Persistence;

namespace Portal.Core.Telemetry;

/// <summary>
/// The portal's own metrics (meter <c>Portal</c>) and traces (activity source <c>Portal</c>), in one place. They are
/// plain System.Diagnostics instruments: free when nobody listens, exported over OTLP when OpenTelemetry is on
/// (see docs/operations.md for every name, unit and tag, and the alerts built on them).
/// </summary>
public sealed class PortalTelemetry : IGateCallMetrics, IDisposable
{
    public const string Name = "Portal";

    /// <summary>Traces: a webhook delivery, the attempt write it caused, the receipt fetch that followed.</summary>
    public static readonly ActivitySource Source = new(Name);

    private static readonly TimeSpan GaugeFreshness = TimeSpan.FromSeconds(15);

    private readonly Meter _meter;
    private readonly Counter<long> _deliveries;
    private readonly Histogram<double> _ingestDuration;
    private readonly Histogram<double> _signatureSkew;
    private readonly Counter<long> _opened;
    private readonly Counter<long> _closed;
    private readonly Histogram<double> _timeToClose;
    private readonly Histogram<double> _gateDuration;
    private readonly Counter<long> _refreshes;
    private readonly IDbContextFactory<PortalDbContext> _dbFactory;
    private readonly TimeProvider _time;
    private readonly Lock _gaugeLock = new();
    private (AttemptGauges Value, DateTimeOffset ReadAt)? _gauges;

    public PortalTelemetry(IMeterFactory meters, IDbContextFactory<PortalDbContext> dbFactory, Microsoft.Extensions.Options.IOptions<SweeperOptions> sweeper, TimeProvider time)
    {
        _dbFactory = dbFactory;
        _time = time;
        Thresholds = sweeper.Value;
        _meter = meters.Create(Name);
        _deliveries = _meter.CreateCounter<long>("portal.webhook.deliveries", "{delivery}", "Webhook deliveries answered, by outcome and event type.");
        _ingestDuration = _meter.CreateHistogram<double>("portal.webhook.ingest.duration", "s", "Time from receiving a delivery to answering it (verify, dedupe, apply, commit).");
        _signatureSkew = _meter.CreateHistogram<double>("portal.webhook.signature.skew", "s", "|signature timestamp - portal clock| of deliveries with a readable timestamp.");
        _opened = _meter.CreateCounter<long>("portal.attempts.opened", "{attempt}", "Checkout attempts created, by flow.");
        _closed = _meter.CreateCounter<long>("portal.attempts.closed", "{attempt}", "Checkout attempts closed, by outcome and by what closed them.");
        _timeToClose = _meter.CreateHistogram<double>("portal.attempts.time_to_close", "s", "From an attempt's creation to its close, by outcome and closer.");
        _gateDuration = _meter.CreateHistogram<double>("portal.gate.request.duration", "s", "Calls to the 0Gate API, by endpoint and HTTP status (unreachable when none).");
        _refreshes = _meter.CreateCounter<long>("portal.outcome.refreshes", "{refresh}", "Outcome page refreshes by source (push from the webhook path, the 3 s poll, or the first look when a page's circuit starts) and whether the attempt had changed.");
        _meter.CreateObservableGauge("portal.attempts.open", () => Gauges().Open, "{attempt}", "Attempts not yet closed.");
        _meter.CreateObservableGauge("portal.attempts.confirming_too_long", () => Gauges().ConfirmingTooLong, "{attempt}", "Attempts processing for longer than Sweeper:ConfirmingTooLongAfter.");
        _meter.CreateObservableGauge("portal.attempts.needs_review", () => Gauges().NeedsReview, "{attempt}", "Attempts flagged for support after a conflicting event.");
    }

    private SweeperOptions Thresholds { get; }

    public void Delivery(string outcome, string? eventType, TimeSpan elapsed)
    {
        // Only the types 0Gate documents become tag values: anything else is "other", so the series stay few.
        var type = eventType is null ? "unverified" : GateEventTypes.IsKnown(eventType) ? eventType : "other";
        var tags = new TagList { { "outcome", outcome }, { "event.type", type } };
        _deliveries.Add(1, tags);
        _ingestDuration.Record(elapsed.TotalSeconds, new TagList { { "outcome", outcome } });
    }

    public void SignatureSkew(long skewSeconds, bool valid) =>
        _signatureSkew.Record(Math.Abs(skewSeconds), new TagList { { "valid", valid } });

    public void AttemptOpened(CheckoutFlow flow) => _opened.Add(1, new TagList { { "flow", flow.ToWire() } });

    public void AttemptClosed(CheckoutAttempt attempt)
    {
        var tags = new TagList
        {
            { "outcome", attempt.Status.ToWire() },
            { "closer", attempt.ClosedBy is { } closer ? SnakeCase.From(closer.ToString()) : "unknown" },
        };
        _closed.Add(1, tags);
        if (attempt.ClosedAt is { } closedAt)
        {
            _timeToClose.Record((closedAt - attempt.CreatedAt).TotalSeconds, tags);
        }
    }

    public void GateCall(string endpoint, int? status, TimeSpan elapsed) =>
        _gateDuration.Record(elapsed.TotalSeconds, new TagList { { "endpoint", endpoint }, { "status", status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unreachable" } });

    public void OutcomeRefresh(string source, bool changed) =>
        _refreshes.Add(1, new TagList { { "source", source }, { "changed", changed } });

    public void Dispose() => _meter.Dispose();

    /// <summary>Counts read from the store at most every 15 s, and only when an exporter collects.</summary>
    private AttemptGauges Gauges()
    {
        lock (_gaugeLock)
        {
            var now = _time.GetUtcNow();
            if (_gauges is { } fresh && now - fresh.ReadAt < GaugeFreshness)
            {
                return fresh.Value;
            }

            var confirmingSince = now - Thresholds.ConfirmingTooLongAfter;
            using var db = _dbFactory.CreateDbContext();
            var open = db.Attempts.Where(a => AttemptStateMachine.OpenStatuses.Contains(a.Status));
            var value = new AttemptGauges(
                open.Count(),
                open.Count(a => a.Status == AttemptStatus.Processing && a.UpdatedAt < confirmingSince),
                db.Attempts.Count(a => a.NeedsReview));
            _gauges = (value, now);
            return value;
        }
    }

    private sealed record AttemptGauges(int Open, int ConfirmingTooLong, int NeedsReview);
}
