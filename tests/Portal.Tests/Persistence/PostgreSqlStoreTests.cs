using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Portal.Core.Attempts;
using Portal.Core.Checkout;
using Portal.Core.Gate;
using Portal.Core.LiveUpdates;
using Portal.Core.Persistence;
using Portal.Core.Reads;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Persistence;

/// <summary>
/// Several instances on one PostgreSQL database: native types, exactly-once closing across instances (the concurrency
/// token and the unique event id, no process lock), pushes between instances, shared sessions, and migrations as a
/// deploy step.
/// </summary>
public sealed class PostgreSqlStoreTests : IDisposable
{
    private readonly string _database = PostgresServer.CreateDatabase();

    [Fact]
    public async Task Amounts_are_numeric_and_times_timestamptz_and_round_trip_exactly()
    {
        await using var a = new Instance(_database);
        var writer = a.Services.GetRequiredService<AttemptWriter>();
        var attempt = await writer.CreateAsync(new NewAttempt("acct-pg", CheckoutFlow.Swap, 0.00000001m, "ETH", "USDC", "base"), default);

        var stored = await a.Services.GetRequiredService<AttemptReads>().GetAsync(attempt.Id, default);

        stored!.Amount.ShouldBe(0.00000001m);
        stored.CreatedAt.ShouldBe(attempt.CreatedAt, TimeSpan.FromMilliseconds(1)); // timestamptz keeps microseconds
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        (await ColumnType(connection, "checkout_attempts", "Amount")).ShouldBe("numeric");
        (await ColumnType(connection, "checkout_attempts", "CreatedAt")).ShouldBe("timestamp with time zone");
        (await ColumnType(connection, "processed_events", "ReceivedAt")).ShouldBe("timestamp with time zone");
    }

    [Fact]
    public async Task The_same_event_sent_to_two_instances_at_once_closes_the_attempt_once_with_one_receipt_job()
    {
        await using var a = new Instance(_database);
        await using var b = new Instance(_database);
        var (attemptId, sessionId) = await OpenAttemptAsync(a);
        var json = GateEvents.Json("evt_" + Guid.NewGuid().ToString("n"), GateEventTypes.SessionCompleted, sessionId, attemptId, "tx_two");
        var clients = new[] { a.CreateClient(), b.CreateClient() };

        using var start = new ManualResetEventSlim();
        var deliveries = Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
        {
            start.Wait();
            return (await clients[i % 2].SendAsync(TestWebhookSigner.SignedDelivery(json))).StatusCode;
        })).ToList();
        start.Set();

        (await Task.WhenAll(deliveries)).ShouldAllBe(status => status == HttpStatusCode.OK);
        await using var db = await a.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        (await db.ProcessedEvents.CountAsync(e => e.AttemptId == attemptId)).ShouldBe(1);
        (await db.Timeline.CountAsync(e => e.AttemptId == attemptId && e.ToStatus == AttemptStatus.Fulfilled)).ShouldBe(1);
        (await db.Timeline.CountAsync(e => e.AttemptId == attemptId && e.Kind == TimelineKind.EventDuplicate)).ShouldBe(39);
        (await db.Jobs.CountAsync(j => j.AttemptId == attemptId)).ShouldBe(1);
    }

    [Fact]
    public async Task A_change_committed_on_one_instance_is_pushed_to_pages_watching_on_the_other()
    {
        await using var a = new Instance(_database);
        await using var b = new Instance(_database);
        var (attemptId, sessionId) = await OpenAttemptAsync(a);
        var heard = new TaskCompletionSource<AttemptStatusChanged>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watch = a.Services.GetRequiredService<AttemptStatusNotifier>().Subscribe(attemptId, change =>
        {
            heard.TrySetResult(change);
            return Task.CompletedTask;
        });

        _ = b.Services; // both instances started
        await WaitForListenersAsync(count: 2);
        (await b.CreateClient().SendAsync(TestWebhookSigner.SignedDelivery(
            GateEvents.Json("evt_" + Guid.NewGuid().ToString("n"), GateEventTypes.SessionFailed, sessionId, attemptId)))).StatusCode.ShouldBe(HttpStatusCode.OK);

        var change = await heard.Task.WaitAsync(TimeSpan.FromSeconds(10));
        change.Status.ShouldBe(AttemptStatus.Failed);
        change.Previous.ShouldBe(AttemptStatus.RequiresAction);
    }

    [Fact]
    public async Task A_session_cookie_minted_by_one_instance_is_accepted_by_the_other()
    {
        await using var a = new Instance(_database);
        await using var b = new Instance(_database);
        var (attemptId, _) = await OpenAttemptAsync(a, owner: "carol");
        var cookie = await a.SessionCookieAsync("carol", "Carol", "customer");

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/checkout/{attemptId}/status");
        request.Headers.Add("Cookie", cookie);
        var onB = await b.CreateBrowserlessClient().SendAsync(request);

        onB.StatusCode.ShouldBe(HttpStatusCode.OK); // B unprotected A's cookie with the key ring both read from the database
    }

    [Fact]
    public async Task In_production_an_instance_refuses_to_serve_until_the_deploy_step_migrated_the_database()
    {
        await using var waiting = new Instance(_database, production: true);
        var client = waiting.CreateClient();

        var refused = await client.GetAsync("/api/checkout/att_aaaaaaaaaaaaaaaaaaaaaaaaaa/status");
        refused.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        refused.Headers.RetryAfter.ShouldNotBeNull();
        (await client.GetAsync("/healthz")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync("/readyz")).StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await waiting.WithDbAsync(db => db.Database.GetAppliedMigrationsAsync())).ShouldBeEmpty(); // it did not race to migrate

        // The deploy step: `portal migrate` (StoreMigrations.ApplyAsync) from elsewhere; the instance notices by itself.
        await waiting.Services.GetRequiredService<StoreMigrations>().ApplyAsync(default);
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        while ((await client.GetAsync("/readyz")).StatusCode != HttpStatusCode.OK && stopwatch.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(100);
        }

        (await client.GetAsync("/readyz")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync("/api/checkout/att_aaaaaaaaaaaaaaaaaaaaaaaaaa/status")).StatusCode.ShouldNotBe(HttpStatusCode.ServiceUnavailable);
    }

    public void Dispose() => PostgresServer.DropDatabase(_database);

    private static async Task<(string AttemptId, string SessionId)> OpenAttemptAsync(Instance instance, string owner = "acct-pg")
    {
        var writer = instance.Services.GetRequiredService<AttemptWriter>();
        var attempt = await writer.CreateAsync(new NewAttempt(owner, CheckoutFlow.OnRamp, 12.34m, "EUR", "USDC", "base"), default);
        var sessionId = "gs_" + Guid.NewGuid().ToString("n");
        await writer.AttachSessionAsync(attempt.Id, sessionId, null, default);
        return (attempt.Id, sessionId);
    }

    /// <summary>Until <paramref name="count"/> instances' LISTEN connections show up in pg_stat_activity.</summary>
    private async Task WaitForListenersAsync(int count)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        while (stopwatch.Elapsed < TimeSpan.FromSeconds(10))
        {
            await using var query = new NpgsqlCommand(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN portal_attempt_changes%'", connection);
            if ((long)(await query.ExecuteScalarAsync())! >= count)
            {
                return;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException("The instances' change listeners never connected.");
    }

    private static async Task<string> ColumnType(NpgsqlConnection connection, string table, string column)
    {
        await using var query = new NpgsqlCommand("SELECT data_type FROM information_schema.columns WHERE table_name = @t AND column_name = @c", connection);
        query.Parameters.AddWithValue("t", table);
        query.Parameters.AddWithValue("c", column);
        return (string)(await query.ExecuteScalarAsync())!;
    }

    /// <summary>One portal instance (a real host) on the shared database.</summary>
    private sealed class Instance(string connectionString, bool production = false) : PortalAppFactory
    {
        public override StoreProvider Provider => StoreProvider.PostgreSql;

        protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings() =>
        [
            new("ConnectionStrings:Portal", connectionString),
            new("Store:MigrateOnStart", production ? "false" : "true"),
        ];

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            if (production)
            {
                builder.UseEnvironment("Production");
            }
        }
    }
}
