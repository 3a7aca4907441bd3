using AngleSharp.Dom;
using Bunit;
using Portal.Components.Checkout;
using Portal.Components.Pages.Support;
using Portal.Core.Attempts;
using Portal.Core.Reads;

namespace Portal.Tests.Support;

/// <summary>The attempt page answers "where is my money?": the receipt's figures, where it went, and every id to quote.</summary>
public sealed class SupportReceiptTests : SupportComponentTest
{
    [Fact]
    public async Task A_fulfilled_sell_shows_what_was_sold_the_fees_the_net_payout_the_masked_bank_account_and_the_local_rail_id()
    {
        var (attempt, receipt) = await FulfilledAsync("gs_receipt_sell", CheckoutFlow.OffRamp, new AttemptReceiptFields("SELL")
        {
            Token = "USDC", TokenAmount = "18.51851852", Network = "polygon", Currency = "BRL", FiatAmount = "100.00", TotalFees = "1.50",
            TotalPayOrReceive = "98.50", ExchangeRate = "5.4", PaymentMethod = "PIX", MaskedBankAccount = "•••• 4567",
            TransactionHash = "0x" + new string('a', 64), ExplorerUrl = "https://polygonscan.com/tx/0x" + new string('a', 64),
            PermalinkUrl = "https://gate.test/r/tx_gs_receipt_sell?t=abc", LocalRailTransactionId = "lr_0123456789abcdef0123",
        });

        var cut = Render<AttemptDetailPage>(p => p.Add(x => x.AttemptId, attempt.Id));

        var panel = cut.Find("[data-testid=support-receipt]");
        In(panel, "receipt-paid").ShouldContain("18.51851852 USDC");
        In(panel, "receipt-gross").ShouldBe("100.00 BRL");
        In(panel, "receipt-fees").ShouldBe("1.50 BRL");
        In(panel, "receipt-received").ShouldBe("98.50 BRL");
        In(panel, "receipt-rate").ShouldBe("1 USDC = 5.4 BRL");
        In(panel, "receipt-method").ShouldBe("PIX");
        In(panel, "receipt-bank").ShouldBe("•••• 4567");
        panel.QuerySelector("[data-testid=receipt-wallet]").ShouldBeNull();
        In(panel, "receipt-local-rail").ShouldContain("lr_0123456789abcdef0123");
        In(panel, "receipt-hash").ShouldContain(receipt.TransactionHash!);
        // Test mode: the sandbox's mainnet link would find nothing; the network's test explorer is offered instead.
        panel.QuerySelector("[data-testid=receipt-explorer] a")!.GetAttribute("href").ShouldBe($"https://amoy.polygonscan.com/tx/{receipt.TransactionHash}");
        panel.QuerySelector("[data-testid=receipt-permalink] a")!.GetAttribute("href").ShouldBe(receipt.PermalinkUrl);
        In(panel, "fact-receipt").ShouldContain("req_receipt_fetch");

        // The same figure the customer's own receipt shows as "You receive".
        var customer = Render<ReceiptView>(p => p.Add(x => x.Receipt, CustomerReceipt.From(receipt)).Add(x => x.Flow, CheckoutFlow.OffRamp));
        customer.Find("[data-testid=receipt-received]").TextContent.Trim().ShouldBe(In(panel, "receipt-received"));
    }

    [Fact]
    public async Task A_fulfilled_buy_shows_what_was_paid_the_tokens_received_and_the_wallet_and_says_when_no_local_rail_was_used()
    {
        var (attempt, receipt) = await FulfilledAsync("gs_receipt_buy", CheckoutFlow.OnRamp, new AttemptReceiptFields("BUY")
        {
            Token = "USDC", TokenAmount = "26.7663", Network = "solana", Currency = "EUR", FiatAmount = "25.00", TotalFees = "0.38",
            TotalPayOrReceive = "25.00", ExchangeRate = "0.92", PaymentMethod = "SEPA", WalletAddress = "0xAbC0000000000000000000000000000000000D1e",
            TransactionHash = "0x" + new string('b', 64),
        });

        var cut = Render<AttemptDetailPage>(p => p.Add(x => x.AttemptId, attempt.Id));

        var panel = cut.Find("[data-testid=support-receipt]");
        In(panel, "receipt-paid").ShouldContain("25.00 EUR");
        In(panel, "receipt-fees").ShouldBe("0.38 EUR");
        In(panel, "receipt-received").ShouldBe("26.7663 USDC");
        In(panel, "receipt-method").ShouldBe("SEPA");
        In(panel, "receipt-wallet").ShouldContain("0xAbC0000000000000000000000000000000000D1e");
        panel.QuerySelector("[data-testid=receipt-bank]").ShouldBeNull();
        In(panel, "receipt-local-rail").ShouldContain("not a local rail");
        // A network without a known test explorer says so instead of linking to a mainnet explorer.
        panel.QuerySelector("[data-testid=receipt-explorer] a").ShouldBeNull();
        In(panel, "receipt-explorer").ShouldContain("no test explorer known for solana");
        In(panel, "receipt-permalink").ShouldBe("—");

        var customer = Render<ReceiptView>(p => p.Add(x => x.Receipt, CustomerReceipt.From(receipt)).Add(x => x.Flow, CheckoutFlow.OnRamp));
        customer.Find("[data-testid=receipt-paid]").TextContent.Trim().ShouldBe("25.00 EUR");
        customer.Find("[data-testid=receipt-received]").TextContent.Trim().ShouldBe(In(panel, "receipt-received"));
    }

    [Fact]
    public async Task An_open_attempt_says_there_is_no_receipt_and_why()
    {
        var attempt = await AttemptWithSessionAsync("gs_receipt_open");

        var cut = Render<AttemptDetailPage>(p => p.Add(x => x.AttemptId, attempt.Id));

        In(cut.Find("[data-testid=support-receipt]"), "receipt-none").ShouldContain("No receipt: the attempt is requires_action");
    }

    private async Task<(CheckoutAttempt Attempt, AttemptReceipt Receipt)> FulfilledAsync(string sessionId, CheckoutFlow flow, AttemptReceiptFields fields)
    {
        var attempt = await AttemptWithSessionAsync(sessionId, "completed", flow: flow);
        var txRefId = "tx_" + sessionId;
        await Writer.UpdateAsync(attempt.Id, (a, now) => a.Close(AttemptStatus.Fulfilled, new CloseCause(AttemptCloser.Webhook, "test", "evt_" + sessionId, txRefId), now), default);
        var receipt = fields.ToReceipt(attempt.Id, txRefId, Clock.GetUtcNow());
        await Writer.StoreReceiptAsync(receipt, "req_receipt_fetch", default);
        return (attempt, receipt);
    }

    private static string In(IElement scope, string testId) =>
        scope.QuerySelector($"[data-testid={testId}]")?.TextContent.Trim() ?? throw new ShouldAssertException($"no [data-testid={testId}]");

    /// <summary>A receipt's display fields, written like 0Gate's (decimal strings).</summary>
    private sealed record AttemptReceiptFields(string Action)
    {
        public string? Token { get; init; }
        public string? TokenAmount { get; init; }
        public string? Network { get; init; }
        public string? Currency { get; init; }
        public string? FiatAmount { get; init; }
        public string? TotalFees { get; init; }
        public string? TotalPayOrReceive { get; init; }
        public string? ExchangeRate { get; init; }
        public string? PaymentMethod { get; init; }
        public string? WalletAddress { get; init; }
        public string? MaskedBankAccount { get; init; }
        public string? TransactionHash { get; init; }
        public string? ExplorerUrl { get; init; }
        public string? PermalinkUrl { get; init; }
        public string? LocalRailTransactionId { get; init; }

        public AttemptReceipt ToReceipt(string attemptId, string txRefId, DateTimeOffset at) => new(attemptId, txRefId, Action, at)
        {
            Token = Token, TokenAmount = TokenAmount, Network = Network, Currency = Currency, FiatAmount = FiatAmount, TotalFees = TotalFees,
            TotalPayOrReceive = TotalPayOrReceive, ExchangeRate = ExchangeRate, PaymentMethod = PaymentMethod, WalletAddress = WalletAddress,
            MaskedBankAccount = MaskedBankAccount, TransactionHash = TransactionHash, ExplorerUrl = ExplorerUrl, PermalinkUrl = PermalinkUrl,
            LocalRailTransactionId = LocalRailTransactionId,
        };
    }
}
