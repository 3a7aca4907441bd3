using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Checkout;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Checkout;

/// <summary>A fulfilled attempt's receipt is read from 0Gate once and stored with display fields only.</summary>
public sealed class ReceiptFetcherTests : IClassFixture<ReceiptFetcherTests.Factory>
{
    private readonly Factory _app;

    public ReceiptFetcherTests(Factory app)
    {
        _app = app;
        app.Gate.Reset();
    }

    public sealed class Factory : ScriptedGateFactory;

    [Fact]
    public async Task Concurrent_requests_for_the_receipt_share_one_read_from_0Gate()
    {
        var attemptId = await FulfilledSellAsync();
        _app.Gate.HoldTransactions = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var fetcher = _app.Services.GetRequiredService<ReceiptFetcher>();

        var readers = Enumerable.Range(0, 8).Select(_ => fetcher.EnsureAsync(attemptId, default)).ToList();
        _app.Gate.HoldTransactions.SetResult();
        var receipts = await Task.WhenAll(readers);

        _app.Gate.TransactionReads.ShouldBe(1);
        receipts.ShouldAllBe(r => r != null && r.TxRefId == "tx_sell");
        (await fetcher.EnsureAsync(attemptId, default))!.FiatAmount.ShouldBe("250.00");
        _app.Gate.TransactionReads.ShouldBe(1); // stored now: later views read the portal's copy
    }

    [Fact]
    public async Task A_sell_receipt_keeps_only_a_masked_bank_account()
    {
        var attemptId = await FulfilledSellAsync();

        var receipt = await _app.Services.GetRequiredService<ReceiptFetcher>().EnsureAsync(attemptId, default);

        receipt!.MaskedBankAccount.ShouldBe("•••• 3000");
        receipt.ExplorerUrl.ShouldBe("https://basescan.org/tx/0xabc");
        var stored = await _app.WithDbAsync(db => Task.FromResult(db.Receipts.Single(r => r.AttemptId == attemptId)));
        stored.MaskedBankAccount.ShouldBe("•••• 3000");
        typeof(AttemptReceipt).GetProperties().ShouldNotContain(p => p.Name.Contains("AccountNumber", StringComparison.Ordinal));
    }

    [Fact]
    public async Task No_receipt_is_read_for_an_attempt_that_is_not_fulfilled()
    {
        var attempts = _app.Services.GetRequiredService<AttemptWriter>();
        var attempt = await attempts.CreateAsync(new NewAttempt("acct-r", CheckoutFlow.OnRamp, 10m, "EUR", "USDC", "base"), default);

        (await _app.Services.GetRequiredService<ReceiptFetcher>().EnsureAsync(attempt.Id, default)).ShouldBeNull();
        _app.Gate.TransactionReads.ShouldBe(0);
    }

    private async Task<string> FulfilledSellAsync()
    {
        var attempts = _app.Services.GetRequiredService<AttemptWriter>();
        var attempt = await attempts.CreateAsync(new NewAttempt("acct-r", CheckoutFlow.OffRamp, 250m, "EUR", "ETH", "base"), default);
        await attempts.AttachSessionAsync(attempt.Id, "gs_" + Guid.NewGuid().ToString("n"), null, default);
        // Fulfilled on the store directly, without announcing it, so the background fetcher stays out of this test's way.
        await _app.WithDbAsync(async db =>
        {
            var current = await db.Attempts.SingleAsync(a => a.Id == attempt.Id);
            current.Close(AttemptStatus.Fulfilled, new CloseCause(AttemptCloser.Webhook, "test", TxRefId: "tx_sell"), DateTimeOffset.UtcNow);
            return await db.SaveChangesAsync();
        });
        return attempt.Id;
    }
}
