using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Attempts;
using Portal.Core.Checkout;
using Portal.Bench.GateData;
using Portal.Bench.Webhooks;

namespace Portal.Bench.PortalData;

/// <summary>
/// An attempt the bench created, with its 0Gate session attached (<c>requires_action</c>), and the transaction
/// reference its completion names (known to 0Gate when it was seeded with its transaction).
/// </summary>
public sealed record SeededAttempt(string AttemptId, string AccountId, string SessionId, string TxRefId);

/// <summary>
/// Creates attempts in the portal's database with the product's own aggregate: <see cref="CheckoutAttempt"/>'s
/// constructor and <see cref="CheckoutAttempt.AttachSession"/>, saved with the timeline entries they produce, exactly
/// what <c>AttemptWriter.CreateAsync</c> then <c>AttachSessionAsync</c> store, but many per transaction: one commit
/// (fsync) per attempt would make seeding tens of thousands of attempts take longer than the measurement itself.
/// Run it while the portal is idle, before a measured phase. Attempts a delivery will close also get 0Gate's side in
/// the sandbox's store (<see cref="SandboxTransactions"/>), so the receipt job that follows each fulfilment succeeds.
/// </summary>
public sealed class AttemptSeeder(PortalCore core, SandboxTransactions gate, string runId)
{
    private const int BatchSize = 2000;
    private int _sessions;
    private int _events;

    /// <summary>
    /// <paramref name="count"/> attempts for <paramref name="accountFor"/>(i), each with a fresh session id; with
    /// <paramref name="completedInGate"/> (attempts a delivery will close), 0Gate holds each session as completed with
    /// its transaction. Without it (attempts that stay open) 0Gate knows nothing of them, as before.
    /// </summary>
    public async Task<IReadOnlyList<SeededAttempt>> SeedAsync(int count, Func<int, string> accountFor, CancellationToken cancellationToken, bool completedInGate = true)
    {
        var seeded = new List<SeededAttempt>(count);
        var now = DateTimeOffset.UtcNow;
        for (var offset = 0; offset < count; offset += BatchSize)
        {
            await using var db = core.CreateDbContext();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            var attempts = new List<CheckoutAttempt>();
            for (var i = offset; i < Math.Min(count, offset + BatchSize); i++)
            {
                var n = Interlocked.Increment(ref _sessions);
                var sessionId = string.Create(CultureInfo.InvariantCulture, $"gs_bench_{runId}_{n}");
                var attempt = new CheckoutAttempt(accountFor(i), CheckoutFlow.OnRamp, 10m, "EUR", "USDC", "base", null, now);
                attempt.AttachSession(sessionId, now, "0Gate session attached (bench seed)");
                attempts.Add(attempt);
                seeded.Add(new SeededAttempt(attempt.Id, attempt.AccountId, sessionId, string.Create(CultureInfo.InvariantCulture, $"tx_bench_{runId}_{n}")));
            }

            db.Attempts.AddRange(attempts);
            db.Timeline.AddRange(attempts.SelectMany(a => a.NewTimelineEntries));
            await db.SaveChangesAsync(cancellationToken); // one transaction per batch (SaveChanges' own)
        }

        if (completedInGate)
        {
            await gate.SeedAsync([.. seeded.Select(a => new GateTransaction(a.SessionId, a.AttemptId, a.TxRefId))], cancellationToken);
        }

        return seeded;
    }

    /// <summary>
    /// A completed event for <paramref name="attempt"/> (naming its seeded transaction) with a fresh event id that
    /// starts with <see cref="EventPrefix"/>(<paramref name="tag"/>).
    /// </summary>
    public GateDelivery CompletedEvent(SeededAttempt attempt, string tag)
    {
        var n = Interlocked.Increment(ref _events);
        return new GateDelivery(
            string.Create(CultureInfo.InvariantCulture, $"{EventPrefix(tag)}{n}"),
            attempt.SessionId,
            attempt.AttemptId,
            attempt.TxRefId);
    }

    /// <summary>Deliveries for the bare endpoint: the same body shape, ids it has never seen (it keeps no attempts).</summary>
    public GateDelivery SyntheticEvent()
    {
        var n = Interlocked.Increment(ref _events);
        return new GateDelivery(
            string.Create(CultureInfo.InvariantCulture, $"{EventPrefix("bare")}{n}"),
            string.Create(CultureInfo.InvariantCulture, $"gs_bench_{runId}_bare_{n}"),
            AttemptId.New(),
            string.Create(CultureInfo.InvariantCulture, $"tx_bench_{runId}_bare_{n}"));
    }

    /// <summary>How the attempts of <paramref name="accountId"/> stand, and the processed events with ids starting with <paramref name="eventPrefix"/>.</summary>
    public async Task<(int Fulfilled, int Open, int ClosingEntries, int ProcessedEvents)> CountAsync(string accountId, string eventPrefix, CancellationToken cancellationToken)
    {
        await using var db = core.CreateDbContext();
        var fulfilled = await db.Attempts.CountAsync(a => a.AccountId == accountId && a.Status == AttemptStatus.Fulfilled, cancellationToken);
        var open = await db.Attempts.CountAsync(a => a.AccountId == accountId && a.Status == AttemptStatus.RequiresAction, cancellationToken);
        var closing = await db.Timeline.CountAsync(
            t => t.ToStatus == AttemptStatus.Fulfilled && db.Attempts.Any(a => a.Id == t.AttemptId && a.AccountId == accountId), cancellationToken);
        var processed = await db.ProcessedEvents.CountAsync(e => e.EventId.StartsWith(eventPrefix), cancellationToken);
        return (fulfilled, open, closing, processed);
    }

    /// <summary>Event ids of one scenario (<paramref name="tag"/>) start with this.</summary>
    public string EventPrefix(string tag) => $"evt_bench_{runId}_{tag}_";
}
