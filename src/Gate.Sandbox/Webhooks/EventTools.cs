using System.Text.RegularExpressions;
using Gate.Sandbox.Api;
using Gate.Sandbox.Partner;
using Gate.Sandbox.Sessions;
using Gate.Sandbox.Storage;
using Microsoft.EntityFrameworkCore;

namespace Gate.Sandbox.Webhooks;

/// <summary>
/// The sandbox's developer tools: deliver a stored event again (same id, same body, signed afresh when it is sent),
/// and make up an event of any type and deliver it. Test events describe a session that does not exist
/// (<c>gs_test_…</c>, no <c>user_reference</c>), so a partner that follows the spec records them and changes nothing;
/// quota test events carry the partner's real quota figures, so a gauge fed by them stays true.
/// </summary>
public sealed partial class EventTools(
    SandboxStore store,
    EventPublisher events,
    DeliveryWakeup wakeup,
    PartnerState partner,
    QuotaTracker quota,
    TimeProvider time)
{
    public const int MaxTypeLength = 100;

    /// <summary>Dotted lower-case names such as <c>gate_session.completed</c> or <c>partner.quota.warning</c>.</summary>
    public static bool IsValidType(string? type) =>
        type is { Length: > 0 and <= MaxTypeLength } && EventTypePattern().IsMatch(type);

    /// <summary>A new delivery of the stored event, due now; null when the partner has no such event.</summary>
    public async Task<DeliveryRecord?> ResendAsync(string eventId, CancellationToken ct)
    {
        var delivery = await store.RunAsync(async db =>
        {
            var stored = await db.Events.AsNoTracking().SingleOrDefaultAsync(e => e.Id == eventId && e.PartnerId == partner.Id, ct);
            if (stored is null)
            {
                return null;
            }

            var record = events.Redeliver(db, stored);
            await db.SaveChangesAsync(ct);
            return record;
        }, ct);

        if (delivery is not null)
        {
            wakeup.Notify();
        }

        return delivery;
    }

    /// <summary>Stores a made-up event of <paramref name="type"/> (checked with <see cref="IsValidType"/>) and queues its delivery.</summary>
    public async Task<EventRecord> SendTestAsync(string type, CancellationToken ct)
    {
        var record = await store.RunAsync(async db =>
        {
            var added = type switch
            {
                QuotaTracker.WarningEvent or QuotaTracker.ExhaustedEvent =>
                    events.Add(db, type, new QuotaEvent(partner.Id, quota.Limit, await quota.UsedAsync(db, ct), quota.WarningAt)),
                "gate_session.kyc_package_accepted" => AddKycAccepted(db, type),
                _ when type.StartsWith("gate_session.", StringComparison.Ordinal) || type == "kyc.required" => AddSessionEvent(db, type),
                _ => events.Add(db, type, new TestEventData("A sandbox test event; nothing in it refers to real data.")),
            };
            await db.SaveChangesAsync(ct);
            return added;
        }, ct);

        wakeup.Notify();
        return record;
    }

    /// <summary>
    /// A terminal session event about a real session that already closed another way (completed, then "expired"): made
    /// up from the session as it is, with the event's status, and delivered like any other. The session is not changed.
    /// </summary>
    public async Task<(EventRecord? Record, ConflictProblem Problem)> SendConflictingAsync(string type, string sessionId, CancellationToken ct)
    {
        var status = TerminalStatus(type);
        if (status is null)
        {
            return (null, ConflictProblem.NotTerminalType);
        }

        var result = await store.RunAsync(async db =>
        {
            var session = await db.Sessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == sessionId, ct);
            if (session is null)
            {
                return ((EventRecord?)null, ConflictProblem.NoSuchSession);
            }

            if (session.Status == SessionStatus.Open || session.Status == status)
            {
                return (null, ConflictProblem.NotConflicting);
            }

            var payload = GateSession.From(session, partner.LiveMode, includeClientSecret: false) with
            {
                Status = status,
                TxRefid = status == SessionStatus.Completed ? session.TxRefid ?? Ids.New("tx_test_") : null,
            };
            var added = events.Add(db, type, payload);
            await db.SaveChangesAsync(ct);
            return (added, ConflictProblem.None);
        }, ct);

        if (result.Item1 is not null)
        {
            wakeup.Notify();
        }

        return result;
    }

    private static string? TerminalStatus(string type) => type switch
    {
        "gate_session.completed" => SessionStatus.Completed,
        "gate_session.failed" => SessionStatus.Failed,
        "gate_session.expired" => SessionStatus.Expired,
        "gate_session.cancelled" => SessionStatus.Cancelled,
        _ => null,
    };

    private EventRecord AddSessionEvent(SandboxDbContext db, string type)
    {
        var now = time.GetUtcNow();
        var status = type switch
        {
            "gate_session.completed" => SessionStatus.Completed,
            "gate_session.failed" => SessionStatus.Failed,
            "gate_session.expired" => SessionStatus.Expired,
            "gate_session.cancelled" => SessionStatus.Cancelled,
            _ => SessionStatus.Open,
        };
        var session = new GateSession(
            Ids.New("gs_test_"), "gate_session", partner.LiveMode, status, "10.00", "EUR", Flows.OnRamp, "USDC", "ethereum",
            WalletAddress: null, UserReference: null, ReturnUrl: "https://example.invalid/return", CancelUrl: null, ClientSecret: null,
            ExpiresAt: now.AddDays(1).ToUnixTimeSeconds(), CreatedAt: now.ToUnixTimeSeconds(), KycPreVerified: false,
            TxRefid: status == SessionStatus.Completed ? Ids.New("tx_test_") : null);
        return events.Add(db, type, session);
    }

    private EventRecord AddKycAccepted(SandboxDbContext db, string type) =>
        events.Add(db, type, new KycPackageAccepted(
            Ids.New("gs_test_"), partner.Id, partner.LiveMode ? "live" : "test", "sandbox_test", time.GetUtcNow().ToUnixTimeSeconds(), null));

    [GeneratedRegex("^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*){1,4}$", RegexOptions.CultureInvariant)]
    private static partial Regex EventTypePattern();
}

public sealed record TestEventData(string Note);
