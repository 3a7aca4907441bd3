using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Checkout;
using Portal.Core.Webhooks;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Webhooks;

/// <summary>When SQLite cannot commit (here: another writer holds the lock past the busy timeout), 0Gate must be told to retry.</summary>
public sealed class WebhookStorageFailureTests : IClassFixture<WebhookStorageFailureTests.Factory>
{
    private readonly Factory _app;

    public WebhookStorageFailureTests(Factory app) => _app = app;

    public sealed class Factory : PortalAppFactory
    {
        // A one-second busy timeout keeps the locked-database case quick.
        protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings() =>
            [new("ConnectionStrings:Portal", $"Data Source={DatabasePath};Default Timeout=1")];
    }

    [Fact]
    public async Task A_locked_database_answers_503_and_the_retry_applies_the_event()
    {
        var client = _app.CreateClient();
        var attempts = _app.Services.GetRequiredService<AttemptWriter>();
        var attempt = await attempts.CreateAsync(new NewAttempt("acct-1", CheckoutFlow.Swap, 1m, "ETH", "USDC", "arbitrum"), default);
        var sessionId = "gs_" + Guid.NewGuid().ToString("n");
        await attempts.AttachSessionAsync(attempt.Id, sessionId, null, default);
        var eventId = "evt_" + Guid.NewGuid().ToString("n");
        var json = WebhookEndpointTests.Event(eventId, GateEventTypes.SessionCompleted, sessionId, attempt.Id, "tx_1");

        await using (var blocker = new SqliteConnection($"Data Source={_app.DatabasePath}"))
        {
            await blocker.OpenAsync();
            await using var lockCommand = blocker.CreateCommand();
            lockCommand.CommandText = "BEGIN EXCLUSIVE;";
            await lockCommand.ExecuteNonQueryAsync();

            var blocked = await client.SendAsync(TestWebhookSigner.SignedDelivery(json));

            blocked.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            blocked.Headers.RetryAfter.ShouldNotBeNull();
            lockCommand.CommandText = "ROLLBACK;";
            await lockCommand.ExecuteNonQueryAsync();
        }

        (await _app.WithDbAsync(db => db.ProcessedEvents.AnyAsync(e => e.EventId == eventId))).ShouldBeFalse();

        var retried = await client.SendAsync(TestWebhookSigner.SignedDelivery(json));

        retried.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _app.WithDbAsync(db => db.Attempts.SingleAsync(a => a.Id == attempt.Id))).Status.ShouldBe(AttemptStatus.Fulfilled);
    }
}
