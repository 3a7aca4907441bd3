using System.Diagnostics;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Attempts;
using Portal.Core.Gate;
using Portal.Core.Records;
using Portal.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Portal.Tests.Faults;

/// <summary>
/// The parts around two portal instances fail while 0Gate delivers signed completions at 200/s through the shipped
/// nginx config (issue 20, cases 1 and 2): PostgreSQL restarts (<c>pg_ctl stop -m fast</c>, then start), and an
/// instance is killed (SIGKILL). Every delivery answered 200 is stored, 0Gate's retries finish the rest, and every
/// attempt is closed, and its receipt fetched, exactly once. Figures go to the test output.
/// </summary>
public sealed class PostgresAndInstanceFaultTests(InstancesOnOwnPostgresFixture portals, ITestOutputHelper output)
    : IClassFixture<InstancesOnOwnPostgresFixture>
{
    private const int PerSecond = 200;
    private const string ListeningLine = "Listening for other instances' attempt changes";
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(5);

    [PostgresFaultFact]
    public async Task A_PostgreSQL_restart_under_load_answers_503_then_recovers_by_itself_and_loses_nothing()
    {
        await portals.EnsureRunningAsync("a");
        await portals.EnsureRunningAsync("b");
        var (attempts, deliveries) = await CompletionsAsync(500);
        using var proxy = portals.CreateProxyClient();
        using var a = portals.CreateInstanceClient("a");
        using var b = portals.CreateInstanceClient("b");
        var listensBefore = ListenLines();

        var clock = Stopwatch.StartNew();
        Task<RestartFigures>? restart = null;
        var answers = await DeliveryLoad.SendAsync(proxy, deliveries, PerSecond, sent =>
        {
            if (sent == deliveries.Count / 3)
            {
                restart = RestartPostgresAsync(a, b, clock);
            }

            return Task.CompletedTask;
        });
        var figures = await restart!;
        var retries = await DeliveryLoad.RetryUntilAcknowledgedAsync(proxy, deliveries, answers, TimeSpan.FromSeconds(60));

        output.WriteLine($"PostgreSQL restart: load through nginx at {PerSecond}/s: {DeliveryLoad.Describe(answers)}");
        output.WriteLine($"  server down {figures.Down.TotalSeconds:0.0} s; straight to each instance while down: {DeliveryLoad.Describe(figures.Probes)}");
        output.WriteLine($"  back to 200 after the server was up: a {figures.RecoveredA.TotalSeconds:0.0} s, b {figures.RecoveredB.TotalSeconds:0.0} s");
        output.WriteLine($"  0Gate's retries afterwards: {DeliveryLoad.Describe(retries)}");

        var bound = MachineLoad.Bound(Recovery, out var loadNote);
        output.WriteLine($"  target 5 s; {loadNote}");
        var everything = answers.Concat(figures.Probes).Concat(retries).ToList();
        everything.Count(x => x.Status != 200 && (x.Status != 503 || !x.RetryAfter)).ShouldBe(0, "200, or 503 with Retry-After: " + DeliveryLoad.Describe(everything) + "\n" + portals.Describe());
        figures.Probes.Count(x => x.Status != 503 || x.Took > bound).ShouldBe(0, "while the server is down each instance answers 503 itself, within 5 s: " + DeliveryLoad.Describe(figures.Probes));
        figures.RecoveredA.ShouldBeLessThanOrEqualTo(bound, "instance a serves again within 5 s of the server");
        figures.RecoveredB.ShouldBeLessThanOrEqualTo(bound, "instance b serves again within 5 s of the server");

        await AssertStoredOnceAsync(attempts, answers);

        // LISTEN again on both instances (pages on one hear the other's changes), without a restart of their own.
        await Wait.UntilAsync(async () => (await portals.ListeningSessionsAsync()).Count == 2 && ListenLines().All(pair => pair.Value > listensBefore[pair.Key]),
            TimeSpan.FromSeconds(15), () => $"both instances did not LISTEN again: {string.Join(", ", ListenLines())}\n{portals.Describe()}");
        portals.Instance("a").HasExited.ShouldBeFalse();
        portals.Instance("b").HasExited.ShouldBeFalse();
        output.WriteLine($"  LISTEN sessions after the restart: {(await portals.ListeningSessionsAsync()).Count}; 'listening' lines per instance: {string.Join(", ", ListenLines())}");
    }

    [PostgresFaultFact]
    public async Task An_instance_killed_under_load_leaves_its_deliveries_to_the_other_and_loses_nothing()
    {
        await portals.EnsureRunningAsync("a");
        await portals.EnsureRunningAsync("b");
        var (attempts, deliveries) = await CompletionsAsync(400);
        using var proxy = portals.CreateProxyClient();
        var clock = Stopwatch.StartNew();
        var killedAt = TimeSpan.MaxValue;
        var answers = await DeliveryLoad.SendAsync(proxy, deliveries, PerSecond, sent =>
        {
            if (sent == deliveries.Count / 3)
            {
                portals.Kill("b"); // SIGKILL: no shutdown code runs
                killedAt = clock.Elapsed;
            }

            return Task.CompletedTask;
        });
        var retries = await DeliveryLoad.RetryUntilAcknowledgedAsync(proxy, deliveries, answers, TimeSpan.FromSeconds(60));

        var afterKill = answers.Where(x => x.At - x.Took > killedAt).ToList();
        output.WriteLine($"Instance b killed under load at {PerSecond}/s through nginx: {DeliveryLoad.Describe(answers)}");
        output.WriteLine($"  sent after the kill: {DeliveryLoad.Describe(afterKill)}, answered by a: {afterKill.Count(x => x.Instance == "a")}");
        output.WriteLine($"  0Gate's retries afterwards: {DeliveryLoad.Describe(retries)}");

        afterKill.Count.ShouldBeGreaterThan(0);
        // On a loaded machine a may ask for some to be retried later (503 with Retry-After): still a's answer, never b's or nginx's.
        afterKill.Count(x => x.Instance != "a" || (x.Status != 200 && !(x.Status == 503 && x.RetryAfter))).ShouldBe(0,
            "nginx sends what b would have had to a: " + DeliveryLoad.Describe(afterKill));
        afterKill.Count(x => x.Status == 200).ShouldBeGreaterThan(afterKill.Count / 2);
        answers.Concat(retries).Count(x => x.Status == 500).ShouldBe(0, DeliveryLoad.Describe([.. answers.Concat(retries)]) + "\n" + portals.Describe());
        await AssertStoredOnceAsync(attempts, answers);
        await portals.EnsureRunningAsync("b");
    }

    private async Task<RestartFigures> RestartPostgresAsync(HttpClient a, HttpClient b, Stopwatch clock)
    {
        await portals.Cluster.StopAsync();
        var down = clock.Elapsed;

        // While it is down, each instance (straight, not through nginx) answers a delivery 503 with Retry-After.
        var probes = await Task.WhenAll(DeliveryLoad.SendOneAsync(a, Probe(), clock), DeliveryLoad.SendOneAsync(b, Probe(), clock));

        await portals.Cluster.StartServerAsync();
        var up = clock.Elapsed;
        var recovered = await Task.WhenAll(UntilServedAsync(a, clock, up), UntilServedAsync(b, clock, up));
        return new(up - down, [.. probes], recovered[0], recovered[1]);
    }

    /// <summary>How long after <paramref name="since"/> the instance first answers a delivery 200 (asking again at once, bounded).</summary>
    private async Task<TimeSpan> UntilServedAsync(HttpClient instance, Stopwatch clock, TimeSpan since)
    {
        while (clock.Elapsed - since < TimeSpan.FromSeconds(30))
        {
            var answer = await DeliveryLoad.SendOneAsync(instance, Probe(), clock);
            if (answer.Status == 200)
            {
                return answer.At - since;
            }
        }

        throw new TimeoutException($"{instance.BaseAddress} did not store a delivery within 30 s of the server being back.\n{portals.Describe()}");
    }

    /// <summary>A signed event for a session the portal does not know: stored (200) as soon as the store works.</summary>
    private static (string EventId, string Json) Probe()
    {
        var id = "evt_probe_" + Guid.NewGuid().ToString("n");
        return (id, GateEvents.Json(id, GateEventTypes.SessionCompleted, "gs_probe_" + Guid.NewGuid().ToString("n"), null, "tx_probe"));
    }

    /// <summary>One completion per seeded attempt, each delivered twice (0Gate delivers at least once), shuffled.</summary>
    private async Task<(List<(string AttemptId, string SessionId)>, List<(string EventId, string Json)>)> CompletionsAsync(int count)
    {
        var attempts = await portals.SeedAttemptsAsync(count);
        var deliveries = attempts.SelectMany(attempt =>
        {
            var eventId = "evt_" + Guid.NewGuid().ToString("n");
            var json = GateEvents.Json(eventId, GateEventTypes.SessionCompleted, attempt.SessionId, attempt.AttemptId, "tx_" + attempt.AttemptId[4..]);
            return new[] { (eventId, json), (eventId, json) };
        }).OrderBy(_ => Random.Shared.Next()).ToList();
        return (attempts, deliveries);
    }

    /// <summary>Everything acknowledged is stored; each attempt fulfilled once, with one receipt job and one receipt (the jobs ran on).</summary>
    private async Task AssertStoredOnceAsync(List<(string AttemptId, string SessionId)> attempts, List<DeliveryAnswer> answers)
    {
        var ids = attempts.Select(x => x.AttemptId).ToList();
        var acknowledged = answers.Where(x => x.Status == 200).Select(x => x.EventId).ToHashSet();
        var stored = await portals.QueryAsync(async db => (await db.ProcessedEvents.Where(e => ids.Contains(e.AttemptId!)).Select(e => e.EventId).ToListAsync()).ToHashSet());
        stored.IsSupersetOf(acknowledged).ShouldBeTrue("every delivery answered 200 is stored");
        stored.Count.ShouldBe(attempts.Count);

        var closes = await portals.QueryAsync(db => db.Timeline
            .Where(e => ids.Contains(e.AttemptId!) && e.Kind == TimelineKind.StateChanged && e.ToStatus == AttemptStatus.Fulfilled)
            .GroupBy(e => e.AttemptId).Select(g => g.Count()).ToListAsync());
        closes.Count.ShouldBe(attempts.Count);
        closes.ShouldAllBe(n => n == 1, "closed exactly once");
        (await portals.QueryAsync(db => db.Jobs.CountAsync(j => ids.Contains(j.AttemptId!) && j.Kind == JobKinds.FetchReceipt))).ShouldBe(attempts.Count);

        // The receipt jobs run on: every receipt is fetched, except for jobs whose own outcome could not be stored while
        // the server was down, which are due again when their 2-minute lease ends (never stuck for good).
        var clock = Stopwatch.StartNew();
        List<BackgroundJob> open = [];
        var receipts = 0;
        await Wait.UntilAsync(
            async () =>
            {
                receipts = await portals.QueryAsync(db => db.Receipts.CountAsync(r => ids.Contains(r.AttemptId)));
                open = await portals.QueryAsync(db => db.Jobs.AsNoTracking().Where(j => ids.Contains(j.AttemptId!) && j.CompletedAt == null).ToListAsync());
                return receipts == attempts.Count || (receipts + open.Count == attempts.Count && open.All(j => j.LockedUntil > DateTimeOffset.UtcNow));
            },
            TimeSpan.FromSeconds(60),
            () => $"receipts fetched: {receipts}; open jobs: {string.Join("; ", open.Take(5).Select(j => $"{j.LockedBy} until {j.LockedUntil:HH:mm:ss} tries {j.Tries} {j.LastError}"))}\n{portals.Describe()}");
        (await portals.QueryAsync(db => db.Jobs.CountAsync(j => ids.Contains(j.AttemptId!) && j.GaveUp))).ShouldBe(0);
        open.ShouldAllBe(j => j.LockedUntil <= DateTimeOffset.UtcNow.AddMinutes(2), "due again within its lease");
        (await portals.QueryAsync(db => db.Receipts.GroupBy(r => r.AttemptId).CountAsync(g => g.Count() > 1))).ShouldBe(0, "a receipt is stored once");
        var byInstance = await portals.QueryAsync(db => db.Jobs.Where(j => ids.Contains(j.AttemptId!))
            .GroupBy(j => j.LockedBy).Select(g => new { g.Key, Count = g.Count() }).ToListAsync());
        output.WriteLine($"  stored {stored.Count} events for {attempts.Count} attempts ({acknowledged.Count} acknowledged in the load), each closed once; "
            + $"{receipts} receipts fetched ({clock.Elapsed.TotalSeconds:0.0} s after the load), {open.Count} waiting for their lease; "
            + $"jobs run by {string.Join(", ", byInstance.Select(x => $"{x.Key}: {x.Count}"))}");
    }

    private static readonly string[] InstanceNames = ["a", "b"];

    private Dictionary<string, int> ListenLines() => InstanceNames.ToDictionary(
        name => name,
        name => portals.Instance(name).Output.Split(ListeningLine).Length - 1);

    private sealed record RestartFigures(TimeSpan Down, List<DeliveryAnswer> Probes, TimeSpan RecoveredA, TimeSpan RecoveredB);
}
