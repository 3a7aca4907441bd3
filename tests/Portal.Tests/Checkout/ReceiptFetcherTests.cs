using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Attempts;
using Portal.Core.Checkout;
using Portal.Core.Gate;
using Portal.Core.Persistence;
using Portal.Core.Reads;
using Portal.Tests.Infrastructure;
using Portal.Tests.Webhooks;


namespace Portal.Tests.Checkout;

/// <summary>A fulfilled attempt's receipt is read from 0Gate once, by the job its fulfilment created, and stored with display fields only.</summary>
public abstract class ReceiptFetcherTests<TFactory> : IClassFixture<TFactory>
    where TFactory : ScriptedGateFactory
{
    private readonly TFactory _app;

    protected ReceiptFetcherTests(TFactory app)
    {
        _app = app;
        app.Gate.Reset();
    }

    [Fact]
    public async Task A_fulfilment_creates_one_job_that_reads_the_receipt_once_even_when_the_event_comes_twice()
    {
        var (attemptId, sessionId) = await OpenSellAsync();
        var json = GateEvents.Json("evt_" + Guid.NewGuid().ToString("n"), GateEventTypes.SessionCompleted, sessionId, attemptId, "tx_sell");
        var client = _app.CreateClient();

        await Task.WhenAll(client.SendAsync(TestWebhookSigner.SignedDelivery(json)), client.SendAsync(TestWebhookSigner.SignedDelivery(json)));
        await WaitForAsync(async () => await _app.Services.GetRequiredService<AttemptReads>().GetReceiptAsync(attemptId, default) is not null);

        _app.Gate.TransactionReads.ShouldBe(1);
        var jobs = await _app.WithDbAsync(db => db.Jobs.Where(j => j.AttemptId == attemptId).ToListAsync());
        jobs.ShouldHaveSingleItem().CompletedAt.ShouldNotBeNull();
        (await _app.Services.GetRequiredService<ReceiptFetcher>().FetchAsync(attemptId, default)).ShouldBe(ReceiptFetch.AlreadyStored);
        _app.Gate.TransactionReads.ShouldBe(1); // stored now: later views read the portal's copy
        (await _app.Services.GetRequiredService<AttemptReads>().GetAsync(attemptId, default))!.ReceiptStoredAt.ShouldNotBeNull();
    }

    [Fact]
    public async Task When_0Gate_cannot_give_the_receipt_the_job_tries_again_and_the_receipt_arrives()
    {
        _app.Gate.FailTransactions(3); // every try of the first run (the client's own retries included) fails
        var (attemptId, sessionId) = await OpenSellAsync();

        await _app.CreateClient().SendAsync(TestWebhookSigner.SignedDelivery(
            GateEvents.Json("evt_" + Guid.NewGuid().ToString("n"), GateEventTypes.SessionCompleted, sessionId, attemptId, "tx_sell")));
        await WaitForAsync(async () => (await _app.WithDbAsync(db => db.Jobs.SingleAsync(j => j.AttemptId == attemptId))).Tries == 1);
        var failed = await _app.WithDbAsync(db => db.Jobs.SingleAsync(j => j.AttemptId == attemptId));

        failed.CompletedAt.ShouldBeNull();
        failed.LastError!.ShouldContain("503");
        failed.RunAfter.ShouldBeGreaterThan(DateTimeOffset.UtcNow); // backing off, not lost
        (await _app.Services.GetRequiredService<AttemptReads>().GetReceiptAsync(attemptId, default)).ShouldBeNull();
    }

    [Fact]
    public async Task A_sell_receipt_keeps_only_a_masked_bank_account()
    {
        var attemptId = await FulfilledWithoutRunningJobsAsync();

        (await _app.Services.GetRequiredService<ReceiptFetcher>().FetchAsync(attemptId, default)).ShouldBe(ReceiptFetch.Stored);

        var stored = await _app.WithDbAsync(db => db.Receipts.SingleAsync(r => r.AttemptId == attemptId));
        stored.MaskedBankAccount.ShouldBe("•••• 3000");
        stored.ExplorerUrl.ShouldBe("https://basescan.org/tx/0xabc");
        typeof(AttemptReceipt).GetProperties().ShouldNotContain(p => p.Name.Contains("AccountNumber", StringComparison.Ordinal));
    }

    [Fact]
    public async Task No_receipt_is_read_for_an_attempt_that_is_not_fulfilled()
    {
        var attempt = await _app.Services.GetRequiredService<AttemptWriter>().CreateAsync(new NewAttempt("acct-r", CheckoutFlow.OnRamp, 10m, "EUR", "USDC", "base"), default);

        (await _app.Services.GetRequiredService<ReceiptFetcher>().FetchAsync(attempt.Id, default)).ShouldBe(ReceiptFetch.NothingToFetch);
        _app.Gate.TransactionReads.ShouldBe(0);
    }

    private async Task<(string AttemptId, string SessionId)> OpenSellAsync()
    {
        var writer = _app.Services.GetRequiredService<AttemptWriter>();
        var attempt = await writer.CreateAsync(new NewAttempt("acct-r", CheckoutFlow.OffRamp, 250m, "EUR", "ETH", "base"), default);
        var sessionId = "gs_" + Guid.NewGuid().ToString("n");
        await writer.AttachSessionAsync(attempt.Id, sessionId, null, default);
        return (attempt.Id, sessionId);
    }

    /// <summary>Fulfilled on the store directly (no job, no announcement), so only the test reads the receipt.</summary>
    private async Task<string> FulfilledWithoutRunningJobsAsync()
    {
        var (attemptId, _) = await OpenSellAsync();
        await _app.WithDbAsync(async db =>
        {
            var current = await db.Attempts.SingleAsync(a => a.Id == attemptId);
            current.Close(AttemptStatus.Fulfilled, new CloseCause(AttemptCloser.Webhook, "test", TxRefId: "tx_sell"), DateTimeOffset.UtcNow);
            return await db.SaveChangesAsync();
        });
        return attemptId;
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            await Task.Delay(25, limit.Token);
        }
    }
}

public sealed class ReceiptFetcherTestsOnSqlite(ReceiptFetcherTestsOnSqlite.Factory app) : ReceiptFetcherTests<ReceiptFetcherTestsOnSqlite.Factory>(app)
{
    public sealed class Factory : ScriptedGateFactory;
}

public sealed class ReceiptFetcherTestsOnPostgreSql(ReceiptFetcherTestsOnPostgreSql.Factory app) : ReceiptFetcherTests<ReceiptFetcherTestsOnPostgreSql.Factory>(app)
{
    public sealed class Factory : ScriptedGateFactory
    {
        public override StoreProvider Provider => StoreProvider.PostgreSql;
    }
}
