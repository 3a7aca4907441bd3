using System.Collections.Concurrent;
using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Attempts;
using Portal.Core.Gate;
using Portal.Core.Persistence;
using Portal.Tests.Infrastructure;
using Portal.Tests.Webhooks;

namespace Portal.Tests.Hosting;

/// <summary>
/// kill -9 in the middle of a storm of 1,000 signed events (500 completions, each delivered twice, shuffled, 16 at a
/// time), restart, resend what got no 200: every event stored once, every attempt closed once, nothing that was
/// acknowledged is lost, and the store is intact. On both stores: SQLite's one writer and PostgreSQL's transaction per
/// delivery.
/// </summary>
public abstract class CrashDuringStormTests : IDisposable
{
    private const int Attempts = 500;
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("portal-crash-");

    /// <summary>The PostgreSQL database the portal process uses, or null for its SQLite file.</summary>
    protected virtual string? Postgres => null;

    [Fact]
    public async Task A_kill_in_the_middle_of_a_storm_loses_nothing_acknowledged_and_doubles_nothing()
    {
        var settings = PortalProcess.ProductionSettings(_data.FullName, Wait.FreeLoopbackPort(), Postgres is { } postgres
            ? new Dictionary<string, string?>
            {
                ["Store__Provider"] = "PostgreSql",
                ["ConnectionStrings__Portal"] = postgres,
                ["Store__MigrateOnStart"] = "true", // the deploy step's job in production; this test is the deploy
            }
            : null);
        var baseAddress = PortalProcess.BaseAddress(settings);
        var deliveries = new List<(string EventId, string Json)>();
        await using (var first = await PortalProcess.StartReadyAsync(settings, _data.FullName))
        {
            foreach (var (attemptId, sessionId) in await SeedAttemptsAsync())
            {
                var eventId = "evt_" + Guid.NewGuid().ToString("n");
                var json = GateEvents.Json(eventId, GateEventTypes.SessionCompleted, sessionId, attemptId, "tx_" + attemptId[4..]);
                deliveries.Add((eventId, json));
                deliveries.Add((eventId, json)); // 0Gate delivers at least once: the same event again
            }

            deliveries = [.. deliveries.OrderBy(_ => Random.Shared.Next())];
            var acknowledged = new ConcurrentBag<string>();
            var answered = 0;
            var storm = SendAllAsync(baseAddress, deliveries, acknowledged, onAnswer: () =>
            {
                if (Interlocked.Increment(ref answered) == 300)
                {
                    first.Kill(); // SIGKILL mid-storm: no shutdown code runs
                }
            });
            await storm;
            first.HasExited.ShouldBeTrue();
            Volatile.Read(ref answered).ShouldBeGreaterThanOrEqualTo(300);
            var acked = acknowledged.ToHashSet();
            acked.Count.ShouldBeLessThan(Attempts); // the kill really cut the storm short

            await using var second = await PortalProcess.StartReadyAsync(settings, _data.FullName);

            // Everything acknowledged before the kill survived it.
            (await StoredEventIdsAsync()).IsSupersetOf(acked).ShouldBeTrue();

            // 0Gate retries whatever got no 200 (and the storm's duplicates): one pass, fresh signatures.
            var retried = new ConcurrentBag<string>();
            var unanswered = deliveries.Where(d => !acked.Contains(d.EventId)).ToList();
            await SendAllAsync(baseAddress, unanswered, retried, onAnswer: null);
            retried.Count.ShouldBe(unanswered.Count);
        }

        var stored = await StoredEventIdsAsync();
        stored.Count.ShouldBe(Attempts);
        stored.SetEquals(deliveries.Select(d => d.EventId)).ShouldBeTrue();
        await WithDbAsync(async db =>
        {
            (await db.Attempts.CountAsync(a => a.Status == AttemptStatus.Fulfilled)).ShouldBe(Attempts);
            var closes = await db.Timeline.Where(e => e.Kind == TimelineKind.StateChanged && e.ToStatus == AttemptStatus.Fulfilled)
                .GroupBy(e => e.AttemptId).Select(g => g.Count()).ToListAsync();
            closes.Count.ShouldBe(Attempts);
            closes.ShouldAllBe(count => count == 1); // closed exactly once each
            if (Postgres is null)
            {
                (await db.Database.SqlQueryRaw<string>("PRAGMA integrity_check").ToListAsync()).ShouldBe(["ok"]);
            }

            return true;
        });
    }

    /// <summary>Sends every delivery, 16 at a time, freshly signed; records the event ids answered 200.</summary>
    private static async Task SendAllAsync(Uri portal, List<(string EventId, string Json)> deliveries, ConcurrentBag<string> acknowledged, Action? onAnswer)
    {
        using var client = new HttpClient { BaseAddress = portal, Timeout = TimeSpan.FromSeconds(30) };
        var next = -1;
        var senders = Enumerable.Range(0, 16).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < deliveries.Count)
            {
                try
                {
                    using var response = await client.SendAsync(TestWebhookSigner.SignedDelivery(deliveries[i].Json));
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        acknowledged.Add(deliveries[i].EventId);
                    }
                }
                catch (HttpRequestException)
                {
                    // The process is gone: this delivery got no answer, 0Gate would retry it.
                }

                onAnswer?.Invoke();
            }
        });
        await Task.WhenAll(senders);
    }

    private async Task<List<(string AttemptId, string SessionId)>> SeedAttemptsAsync()
    {
        await using var store = new StoreFile(_data.FullName, Postgres);
        return await store.SeedAttemptsAsync(Attempts);
    }

    private async Task<HashSet<string>> StoredEventIdsAsync() =>
        await WithDbAsync(async db => (await db.ProcessedEvents.Select(e => e.EventId).ToListAsync()).ToHashSet());

    private async Task<T> WithDbAsync<T>(Func<PortalDbContext, Task<T>> query)
    {
        await using var store = new StoreFile(_data.FullName, Postgres);
        return await store.QueryAsync(query);
    }

    public virtual void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _data.Delete(recursive: true);
        GC.SuppressFinalize(this);
    }
}

public sealed class CrashDuringStormTestsOnSqlite : CrashDuringStormTests;

public sealed class CrashDuringStormTestsOnPostgreSql : CrashDuringStormTests
{
    private readonly string _postgres = PostgresServer.CreateDatabase();

    protected override string? Postgres => _postgres;

    public override void Dispose()
    {
        base.Dispose();
        PostgresServer.DropDatabase(_postgres);
    }
}
