using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Core.Attempts;
using Portal.Core.Audit;
using Portal.Core.Gate;
using Portal.Core.Persistence;
using Portal.Core.Records;

namespace Portal.Core.Admin;

/// <summary>
/// Test mode only (<c>sk_test_</c>): ask 0Gate (the sandbox) to deliver a past event again, or to make up and deliver
/// an event of any type, then watch it arrive. With a live key every call is refused before anything is sent, so a
/// live portal can never ask 0Gate for synthetic events. Nothing here changes an attempt itself: a resent event is a
/// duplicate the webhook path records and ignores, and test events name a session no attempt has.
/// </summary>
public sealed partial class DeveloperTools(
    GateClient gate,
    AuditLog audit,
    IDbContextFactory<PortalDbContext> dbFactory,
    IOptions<GateOptions> options,
    TimeProvider time,
    ILogger<DeveloperTools> logger)
{
    public const int RecentRows = 15;

    /// <summary>How far back the list of received deliveries reaches.</summary>
    public static readonly TimeSpan RecentSpan = TimeSpan.FromHours(24);

    public const string LiveRefusal = "Developer tools are available in test mode only (sk_test_ keys); this portal runs with live keys.";

    public bool Available => options.Value.Environment == "test";

    public async Task<DeveloperToolResult> ResendAsync(StaffMember staff, string? eventId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        if (!Available)
        {
            logger.LogWarning("Refused to resend an event: developer tools are off in live mode");
            return DeveloperToolResult.Refused(LiveRefusal);
        }

        var id = eventId?.Trim();
        if (id is null || !EventIdPattern().IsMatch(id))
        {
            return DeveloperToolResult.Refused("Choose an event to resend.");
        }

        try
        {
            var queued = await gate.ResendEventAsync(id, cancellationToken);
            logger.LogInformation("Asked 0Gate to resend {EventId} (request {RequestId})", id, queued.RequestId);
            await AuditAsync(staff, AuditAction.ResendEvent, AuditResult.Sent, $"resend of {queued.Value.EventType} {queued.Value.EventId} queued", queued.RequestId);
            return new(true, $"0Gate queued {queued.Value.EventType} {queued.Value.EventId} for delivery again.", queued.Value.EventId, queued.RequestId);
        }
        catch (GateApiException ex)
        {
            logger.LogWarning("Resending {EventId} failed: {Status} {Code} (request {RequestId})", id, (int?)ex.Status, ex.Code, ex.RequestId);
            await AuditAsync(staff, AuditAction.ResendEvent, AuditResult.Failed, $"resend of {id}: 0Gate {(ex.IsTransient ? "unavailable" : "refused")} {ex.Code}".TrimEnd(), ex.RequestId);
            return new(false, ex.Code == "event_not_found" ? $"0Gate has no event {id}." : Describe(ex, "resend the event"), id, ex.RequestId);
        }
    }

    public async Task<DeveloperToolResult> SendTestEventAsync(StaffMember staff, string? eventType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        if (!Available)
        {
            logger.LogWarning("Refused to send a test event: developer tools are off in live mode");
            return DeveloperToolResult.Refused(LiveRefusal);
        }

        var type = eventType?.Trim();
        if (type is null || type.Length > 100 || !EventTypePattern().IsMatch(type))
        {
            return DeveloperToolResult.Refused("An event type is a dotted lower-case name, e.g. gate_session.completed.");
        }

        try
        {
            var sent = await gate.SendTestEventAsync(type, cancellationToken);
            logger.LogInformation("Asked 0Gate for a test {EventType}: {EventId} (request {RequestId})", type, sent.Value.Id, sent.RequestId);
            await AuditAsync(staff, AuditAction.SendTestEvent, AuditResult.Sent, $"test {sent.Value.Type} {sent.Value.Id} made up and queued", sent.RequestId);
            return new(true, $"0Gate made up {sent.Value.Type} {sent.Value.Id} and is delivering it.", sent.Value.Id, sent.RequestId);
        }
        catch (GateApiException ex)
        {
            logger.LogWarning("Sending a test {EventType} failed: {Status} {Code} (request {RequestId})", type, (int?)ex.Status, ex.Code, ex.RequestId);
            await AuditAsync(staff, AuditAction.SendTestEvent, AuditResult.Failed, $"test {type}: 0Gate {(ex.IsTransient ? "unavailable" : "refused")} {ex.Code}".TrimEnd(), ex.RequestId);
            return new(false, Describe(ex, "send a test event"), null, ex.RequestId);
        }
    }

    /// <summary>The terminal session events a conflicting event can be, by the status each would close an attempt in.</summary>
    public static readonly IReadOnlyDictionary<string, AttemptStatus> TerminalEventTypes = new Dictionary<string, AttemptStatus>
    {
        ["gate_session.completed"] = AttemptStatus.Fulfilled,
        ["gate_session.failed"] = AttemptStatus.Failed,
        ["gate_session.expired"] = AttemptStatus.Expired,
        ["gate_session.cancelled"] = AttemptStatus.Cancelled,
    };

    /// <summary>
    /// Asks the sandbox for a terminal event about a closed attempt's session that contradicts how it closed (a
    /// fulfilled attempt's session "expired"): the webhook path ignores it and flags the attempt for review, so "needs
    /// review" and its resolution can be tried by hand. Nothing else changes; the request is audited on the attempt.
    /// </summary>
    public async Task<DeveloperToolResult> SendConflictingEventAsync(StaffMember staff, string? attemptId, string? eventType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staff);
        if (!Available)
        {
            logger.LogWarning("Refused to send a conflicting event: developer tools are off in live mode");
            return DeveloperToolResult.Refused(LiveRefusal);
        }

        var id = attemptId?.Trim();
        if (eventType is null || !TerminalEventTypes.TryGetValue(eventType, out var closesAs))
        {
            return DeveloperToolResult.Refused("Choose a terminal session event: completed, failed, expired or cancelled.");
        }

        if (!AttemptId.IsWellFormed(id))
        {
            return DeveloperToolResult.Refused("Enter the id of a closed attempt (att_…).");
        }

        CheckoutAttempt? attempt;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            attempt = await db.Attempts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        }

        if (attempt is not { IsTerminal: true, GateSessionId: { } sessionId })
        {
            return DeveloperToolResult.Refused(attempt is null
                ? $"No attempt {id}."
                : $"Attempt {id} is {attempt.Status.ToWire()}{(attempt.GateSessionId is null ? " without a 0Gate session" : "")}: a conflicting event needs a closed attempt with a session.");
        }

        if (attempt.Status == closesAs)
        {
            return DeveloperToolResult.Refused($"Attempt {id} is already {attempt.Status.ToWire()}: choose another type, one that contradicts it.");
        }

        try
        {
            var sent = await gate.SendTestEventAsync(eventType, cancellationToken, sessionId);
            logger.LogInformation("Asked 0Gate for a conflicting {EventType} for {AttemptId}: {EventId} (request {RequestId})", eventType, attempt.Id, sent.Value.Id, sent.RequestId);
            await audit.AppendAsync(new AuditEntry(staff, AuditAction.SendTestEvent, attempt.Id, AuditResult.Sent,
                $"conflicting {sent.Value.Type} {sent.Value.Id} for the {attempt.Status.ToWire()} attempt's session", time.GetUtcNow(), gateRequestId: sent.RequestId),
                CancellationToken.None);
            return new(true, $"0Gate made up {sent.Value.Type} {sent.Value.Id} for session {sessionId} and is delivering it; the attempt should be flagged for review.",
                sent.Value.Id, sent.RequestId);
        }
        catch (GateApiException ex)
        {
            logger.LogWarning("Sending a conflicting {EventType} for {AttemptId} failed: {Status} {Code} (request {RequestId})", eventType, attempt.Id, (int?)ex.Status, ex.Code, ex.RequestId);
            await audit.AppendAsync(new AuditEntry(staff, AuditAction.SendTestEvent, attempt.Id, AuditResult.Failed,
                $"conflicting {eventType}: 0Gate {(ex.IsTransient ? "unavailable" : "refused")} {ex.Code}".TrimEnd(), time.GetUtcNow(), gateRequestId: ex.RequestId),
                CancellationToken.None);
            return new(false, Describe(ex, "send the conflicting event"), null, ex.RequestId);
        }
    }

    /// <summary>
    /// The newest deliveries the portal received (within <see cref="RecentSpan"/>): first deliveries from the
    /// processed events, repeats from the timeline's "duplicate" lines. Both reads are bounded by time and count.
    /// </summary>
    public async Task<IReadOnlyList<ReceivedDelivery>> RecentDeliveriesAsync(CancellationToken cancellationToken)
    {
        var since = time.GetUtcNow() - RecentSpan;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var processed = await db.ProcessedEvents.AsNoTracking()
            .Where(e => e.ReceivedAt >= since)
            .OrderByDescending(e => e.ReceivedAt)
            .Take(RecentRows)
            .Select(e => new { e.ReceivedAt, e.EventId, e.EventType, e.Outcome })
            .ToListAsync(cancellationToken);

        var duplicates = new List<ReceivedDelivery>();
        if (await TimelineWindow.FirstIdAtOrAfterAsync(db, since, cancellationToken) is { } first)
        {
            duplicates = await db.Timeline.AsNoTracking()
                .Where(t => t.Id >= first && t.Kind == TimelineKind.EventDuplicate && t.EventId != null)
                .OrderByDescending(t => t.Id)
                .Take(RecentRows)
                .Select(t => new ReceivedDelivery(t.OccurredAt, t.EventId!, t.EventType ?? "", true, null))
                .ToListAsync(cancellationToken);
        }

        return [.. processed
            .Select(e => new ReceivedDelivery(e.ReceivedAt, e.EventId, e.EventType, false, SnakeCase.From(e.Outcome.ToString())))
            .Concat(duplicates)
            .OrderByDescending(d => d.ReceivedAt)
            .Take(RecentRows)];
    }

    /// <summary>A request that reached 0Gate is on the record, whether 0Gate accepted it or not.</summary>
    private Task AuditAsync(StaffMember staff, AuditAction action, AuditResult result, string detail, string? requestId) =>
        audit.AppendAsync(new AuditEntry(staff, action, null, result, detail, time.GetUtcNow(), gateRequestId: requestId), CancellationToken.None);

    private static string Describe(GateApiException ex, string action) => ex.IsTransient
        ? $"0Gate could not be reached to {action}. Try again in a moment."
        : $"0Gate refused to {action}: {ex.Code ?? "error"}.";

    [GeneratedRegex("^[A-Za-z0-9_-]{1,100}$", RegexOptions.CultureInvariant)]
    private static partial Regex EventIdPattern();

    [GeneratedRegex("^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*){1,4}$", RegexOptions.CultureInvariant)]
    private static partial Regex EventTypePattern();
}
