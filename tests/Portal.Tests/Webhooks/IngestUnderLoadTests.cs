using System.Collections.Concurrent;
using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Attempts;
using Portal.Core.Gate;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Webhooks;

/// <summary>
/// Correctness under load, never timing (speed is ./bench.sh's job): the real portal on Kestrel, 64 concurrent
/// senders, 2,000 unique completions, then a duplicate storm of all of them again, shuffled.
/// </summary>
public sealed class IngestUnderLoadTests : IDisposable
{
    private const int Events = 2000;
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("portal-load-");

    [Fact]
    public async Task Sixty_four_senders_and_a_duplicate_storm_store_every_event_once_and_close_every_attempt_once()
    {
        var settings = PortalProcess.ProductionSettings(_data.FullName, Wait.FreeLoopbackPort());
        await using var portal = await PortalProcess.StartReadyAsync(settings, _data.FullName);
        var baseAddress = PortalProcess.BaseAddress(settings);
        await using var store = new StoreFile(_data.FullName);
        var events = (await store.SeedAttemptsAsync(Events)).Select(a =>
            GateEvents.Json("evt_" + Guid.NewGuid().ToString("n"), GateEventTypes.SessionCompleted, a.SessionId, a.AttemptId, "tx_" + a.AttemptId[4..])).ToList();

        var unique = await SendAsync(baseAddress, events, senders: 64);
        var storm = await SendAsync(baseAddress, [.. events.Concat(events).OrderBy(_ => Random.Shared.Next())], senders: 64);

        unique.ShouldAllBe(status => status == HttpStatusCode.OK);
        storm.ShouldAllBe(status => status == HttpStatusCode.OK);
        await store.QueryAsync(async db =>
        {
            (await db.ProcessedEvents.CountAsync()).ShouldBe(Events);
            (await db.Attempts.CountAsync(a => a.Status == AttemptStatus.Fulfilled)).ShouldBe(Events);
            var closes = await db.Timeline.Where(e => e.Kind == TimelineKind.StateChanged && e.ToStatus == AttemptStatus.Fulfilled)
                .GroupBy(e => e.AttemptId).Select(g => g.Count()).ToListAsync();
            closes.Count.ShouldBe(Events);
            closes.ShouldAllBe(count => count == 1);
            (await db.Timeline.CountAsync(e => e.Kind == TimelineKind.EventDuplicate)).ShouldBe(2 * Events);
            return true;
        });
    }

    private static async Task<List<HttpStatusCode>> SendAsync(Uri portal, List<string> bodies, int senders)
    {
        using var client = new HttpClient { BaseAddress = portal, Timeout = TimeSpan.FromSeconds(60) };
        var statuses = new ConcurrentBag<HttpStatusCode>();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, senders).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < bodies.Count)
            {
                using var response = await client.SendAsync(TestWebhookSigner.SignedDelivery(bodies[i]));
                statuses.Add(response.StatusCode);
            }
        }));
        return [.. statuses];
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _data.Delete(recursive: true);
    }
}
