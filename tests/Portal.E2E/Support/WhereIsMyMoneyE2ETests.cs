using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Attempts;
using Portal.Core.Checkout;
using Portal.Core.Gate;
using Portal.Core.Persistence;
using Portal.E2E.Accessibility;
using Portal.Tests.Infrastructure;

namespace Portal.E2E.Support;

/// <summary>
/// "Where is my money?" in Chromium against the real portal and the in-process sandbox: Sam finds fulfilled attempts by
/// what a customer quotes (an on-chain hash, a wallet) and reads the receipt, on a desktop and on a phone; a bulk
/// reconcile lists what it changed.
/// </summary>
[Collection(PortalE2E.Collection)]
public sealed class WhereIsMyMoneyE2ETests(PortalFixture portal)
{
    [Fact]
    public Task Sam_finds_a_sell_by_its_on_chain_hash_and_a_buy_by_its_wallet_and_reads_each_receipt() => portal.RunPageAsync(async page =>
    {
        var hash = "0x" + Guid.NewGuid().ToString("n") + Guid.NewGuid().ToString("n");
        var sell = await FulfilledAsync("carol", CheckoutFlow.OffRamp, new AttemptReceiptDraft("SELL")
        {
            TokenAmount = "18.5", Currency = "BRL", FiatAmount = "99.90", TotalFees = "1.50", TotalPayOrReceive = "98.40", PaymentMethod = "PIX",
            MaskedBankAccount = "•••• 4567", TransactionHash = hash, LocalRailTransactionId = "lr_" + Guid.NewGuid().ToString("n")[..20],
        });
        var wallet = "0x" + Guid.NewGuid().ToString("n").ToUpperInvariant() + "00000000";
        var buy = await FulfilledAsync("carol", CheckoutFlow.OnRamp, new AttemptReceiptDraft("BUY")
        {
            TokenAmount = "13.55", Currency = "EUR", FiatAmount = "12.50", TotalFees = "0.19", TotalPayOrReceive = "12.50", PaymentMethod = "SEPA",
            WalletAddress = wallet, TransactionHash = "0x" + new string('e', 64),
        });

        var axe = new AxeAudit(page);
        await page.GotoAsync("/support/attempts");
        await page.SignInAsync("sam");

        // The on-chain hash, pasted in another case: the sell, matched on its hash.
        await page.GetByLabel("Search ids").FillAsync(hash[..20].ToUpperInvariant());
        await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = sell.Id, Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("attempt-grid")).ToContainTextAsync("on-chain hash");
        await page.GetByRole(AriaRole.Link, new() { Name = sell.Id, Exact = true }).ClickAsync();

        var receipt = page.GetByTestId("support-receipt");
        await Expect(receipt.GetByTestId("receipt-received")).ToHaveTextAsync("98.40 BRL");
        await Expect(receipt.GetByTestId("receipt-fees")).ToHaveTextAsync("1.50 BRL");
        await Expect(receipt.GetByTestId("receipt-bank")).ToHaveTextAsync("•••• 4567");
        await Expect(receipt.GetByTestId("receipt-method")).ToHaveTextAsync("PIX");
        await Expect(receipt.GetByTestId("receipt-local-rail")).ToContainTextAsync("lr_");
        await Expect(receipt.GetByTestId("receipt-explorer").GetByRole(AriaRole.Link)).ToHaveAttributeAsync("href", $"https://amoy.polygonscan.com/tx/{hash}");
        await axe.ScanAsync("a fulfilled sell's receipt");

        // The wallet: the buy.
        await page.GotoAsync($"/support/attempts?q={wallet[..16]}");
        await page.WaitForCircuitAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = buy.Id, Exact = true }).ClickAsync();
        await Expect(receipt.GetByTestId("receipt-paid")).ToContainTextAsync("12.50 EUR");
        await Expect(receipt.GetByTestId("receipt-received")).ToHaveTextAsync("13.55 USDC");
        await Expect(receipt.GetByTestId("receipt-wallet")).ToContainTextAsync(wallet);

        foreach (var (width, height) in new[] { (1280, 800), (375, 812) })
        {
            await page.SetViewportSizeAsync(width, height);
            await Expect(receipt).ToBeVisibleAsync();
            (await page.ElementsWiderThanTheWindowAsync()).ShouldBeEmpty($"at {width} px");
        }

        (await receipt.GetByTestId("receipt-wallet").Locator("code").WrapsAsync()).ShouldBeTrue("the wallet should wrap at 375 px");
        await axe.ScanAsync("a fulfilled buy's receipt at 375 px");
        axe.ShouldHaveNoSeriousViolations();
    });

    [Fact]
    public Task A_bulk_reconcile_lists_the_attempts_it_changed_with_0Gates_request_id() => portal.RunPageAsync(async page =>
    {
        var attempt = await AttemptWhoseSessionGateCancelledAsync();
        var axe = new AxeAudit(page);
        await page.GotoAsync("/support/bulk-reconcile");
        await page.SignInAsync("sam");
        await Expect(page.GetByTestId("bulk-matching")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex(@"^Reconcile [1-9]\d* attempt") }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Start" }).ClickAsync();

        var changes = page.GetByTestId("bulk-changes");
        await Expect(changes).ToBeVisibleAsync(new() { Timeout = 60_000 });
        var row = changes.Locator("tr").Filter(new() { HasText = attempt.Id });
        await Expect(row).ToContainTextAsync("requires action");
        await Expect(row).ToContainTextAsync("cancelled");
        await Expect(row.GetByTestId("bulk-change-request")).ToContainTextAsync("req_");
        await Expect(page.GetByTestId("bulk-changes-export")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex(@"^/support/bulk-reconcile/runs/bulk_\w+\.csv$"));

        await page.SetViewportSizeAsync(375, 812);
        await Expect(changes).ToBeVisibleAsync();
        (await page.ElementsWiderThanTheWindowAsync()).ShouldBeEmpty("at 375 px");
        await axe.ScanAsync("bulk reconcile, what the run changed");
        axe.ShouldHaveNoSeriousViolations();
    });

    /// <summary>A fulfilled attempt with a 0Gate session at the sandbox and a stored receipt.</summary>
    private async Task<CheckoutAttempt> FulfilledAsync(string customer, CheckoutFlow flow, AttemptReceiptDraft draft)
    {
        await using var scope = portal.Server.Services.CreateAsyncScope();
        var started = await scope.ServiceProvider.GetRequiredService<CheckoutService>().StartAsync(customer,
            new StartCheckout(flow, "12.5", flow == CheckoutFlow.OffRamp ? "BRL" : "EUR", "USDC", "polygon", null, Guid.NewGuid()),
            new Uri(portal.BaseUrl + "/"), CancellationToken.None);
        started.Succeeded.ShouldBeTrue($"{started.Problem} {string.Join("; ", started.Errors.Select(e => $"{e.Key}: {e.Value}"))}");
        var writer = portal.Server.Services.GetRequiredService<AttemptWriter>();
        var txRefId = "tx_e2e_" + Guid.NewGuid().ToString("n");
        await writer.UpdateAsync(started.Attempt!.Id, (a, now) => a.Close(AttemptStatus.Fulfilled, new CloseCause(AttemptCloser.Webhook, "e2e", null, txRefId), now), CancellationToken.None);
        await writer.StoreReceiptAsync(draft.ToReceipt(started.Attempt.Id, txRefId), "req_e2e_receipt", CancellationToken.None);
        return started.Attempt;
    }

    /// <summary>
    /// An open attempt whose session 0Gate has already cancelled without the portal hearing of it: the session is made and
    /// cancelled at the sandbox first (its webhooks name no attempt yet), then attached to a new attempt.
    /// </summary>
    private async Task<CheckoutAttempt> AttemptWhoseSessionGateCancelledAsync()
    {
        var services = portal.Server.Services;
        var gate = services.GetRequiredService<GateClient>();
        var reference = "e2e_bulk_" + Guid.NewGuid().ToString("n")[..12];
        var session = (await gate.CreateSessionAsync(new CreateGateSession("10", "EUR", "on_ramp", portal.BaseUrl + "/", portal.BaseUrl + "/", reference, "USDC", "polygon", null),
            Guid.NewGuid(), CancellationToken.None)).Value;
        await gate.CancelSessionAsync(session.Id, CancellationToken.None);
        var store = services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        await Wait.UntilAsync(async () =>
        {
            await using var db = await store.CreateDbContextAsync();
            return await db.ProcessedEvents.AnyAsync(e => e.GateSessionId == session.Id && e.EventType == "gate_session.cancelled");
        }, TimeSpan.FromSeconds(30), () => $"the sandbox's gate_session.cancelled for {session.Id} never arrived");

        var writer = services.GetRequiredService<AttemptWriter>();
        var attempt = await writer.CreateAsync(new NewAttempt("dave", CheckoutFlow.OnRamp, 10m, "EUR", "USDC", "polygon"), CancellationToken.None);
        return (await writer.AttachSessionAsync(attempt.Id, session.Id, null, CancellationToken.None)).Attempt!;
    }

    private sealed record AttemptReceiptDraft(string Action)
    {
        public string? TokenAmount { get; init; }
        public string? Currency { get; init; }
        public string? FiatAmount { get; init; }
        public string? TotalFees { get; init; }
        public string? TotalPayOrReceive { get; init; }
        public string? PaymentMethod { get; init; }
        public string? WalletAddress { get; init; }
        public string? MaskedBankAccount { get; init; }
        public string? TransactionHash { get; init; }
        public string? LocalRailTransactionId { get; init; }

        public AttemptReceipt ToReceipt(string attemptId, string txRefId) => new(attemptId, txRefId, Action, DateTimeOffset.UtcNow)
        {
            Token = "USDC", TokenAmount = TokenAmount, Network = "polygon", Currency = Currency, FiatAmount = FiatAmount, TotalFees = TotalFees,
            TotalPayOrReceive = TotalPayOrReceive, ExchangeRate = "0.92", PaymentMethod = PaymentMethod, WalletAddress = WalletAddress,
            MaskedBankAccount = MaskedBankAccount, TransactionHash = TransactionHash, LocalRailTransactionId = LocalRailTransactionId,
        };
    }
}
