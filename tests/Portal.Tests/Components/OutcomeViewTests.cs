using Bunit;
using Portal.Components.Checkout;
using Portal.Core.Checkout;

namespace Portal.Tests.Components;

public sealed class OutcomeViewTests : PortalComponentTest
{
    private static readonly DateTimeOffset Created = new(2026, 11, 22, 9, 30, 0, TimeSpan.Zero);

    // The exact customer copy of DESIGN.md / seed 004, written out here so a changed string fails.
    [Theory]
    [InlineData(AttemptStatus.Processing, "processing", "We are confirming your checkout. You can leave this page and return later.")]
    [InlineData(AttemptStatus.Fulfilled, "success", "Your checkout is complete.")]
    [InlineData(AttemptStatus.Failed, "failed", "This checkout could not be completed. You can try again or contact support.")]
    [InlineData(AttemptStatus.Expired, "expired", "This session expired. Start again to get a fresh checkout.")]
    [InlineData(AttemptStatus.Cancelled, "cancelled", "This checkout was cancelled. You can start a new attempt.")]
    public void Each_state_shows_the_exact_copy_for_buy_and_swap(AttemptStatus status, string view, string copy)
    {
        foreach (var flow in new[] { CheckoutFlow.OnRamp, CheckoutFlow.Swap })
        {
            var cut = Render<OutcomeView>(p => p.Add(v => v.View, ViewOf(flow, status)));

            cut.Find("[data-testid=outcome]").GetAttribute("data-view").ShouldBe(view);
            cut.Find("[data-testid=outcome-message]").TextContent.ShouldBe(copy);
        }
    }

    [Theory]
    [InlineData(AttemptStatus.Processing, "We are confirming your sell order. You can leave this page and return later.")]
    [InlineData(AttemptStatus.Fulfilled, "Your sell order is complete.")]
    [InlineData(AttemptStatus.Failed, "This flow could not be completed. Try again or contact support.")]
    [InlineData(AttemptStatus.Expired, "This session expired. Start again to get a fresh checkout.")]
    [InlineData(AttemptStatus.Cancelled, "This sell order was cancelled. You can start a new attempt.")]
    public void Sell_attempts_use_the_off_ramp_wording(AttemptStatus status, string copy)
    {
        var cut = Render<OutcomeView>(p => p.Add(v => v.View, ViewOf(CheckoutFlow.OffRamp, status)));

        cut.Find("[data-testid=outcome-message]").TextContent.ShouldBe(copy);
        cut.Markup.ShouldNotContain("paid out", Case.Insensitive);
    }

    [Theory]
    [InlineData(AttemptStatus.PendingSession, false, true)]
    [InlineData(AttemptStatus.RequiresAction, false, true)]
    [InlineData(AttemptStatus.Processing, false, false)]
    [InlineData(AttemptStatus.Fulfilled, false, false)]
    [InlineData(AttemptStatus.Failed, true, false)]
    [InlineData(AttemptStatus.Expired, true, false)]
    [InlineData(AttemptStatus.Cancelled, true, false)]
    public void Retry_is_offered_only_for_closed_unsuccessful_attempts(AttemptStatus status, bool retry, bool resume)
    {
        var cut = Render<OutcomeView>(p => p.Add(v => v.View, ViewOf(CheckoutFlow.Swap, status)));

        cut.FindAll("a[href='/checkout/new?flow=swap']").Count.ShouldBe(retry ? 1 : 0);
        cut.FindAll("a[href='/checkout/att_test/']").Count.ShouldBe(0);
        cut.FindAll("a[href='/checkout/att_aaaaaaaaaaaaaaaaaaaaaaaaaa']").Count.ShouldBe(resume ? 1 : 0);
    }

    [Fact]
    public void Shows_the_reference_created_time_and_state()
    {
        var cut = Render<OutcomeView>(p => p.Add(v => v.View, ViewOf(CheckoutFlow.OnRamp, AttemptStatus.Processing)));

        cut.Find("[data-testid=attempt-id]").TextContent.ShouldBe("att_aaaaaaaaaaaaaaaaaaaaaaaaaa");
        cut.Markup.ShouldContain("2026-11-22 09:30 UTC");
        cut.Find("[data-testid=attempt-status]").TextContent.ShouldBe("processing");
    }

    [Fact]
    public void Success_without_a_receipt_yet_says_it_is_on_its_way()
    {
        var cut = Render<OutcomeView>(p => p.Add(v => v.View, ViewOf(CheckoutFlow.OnRamp, AttemptStatus.Fulfilled)));

        cut.FindAll("[data-testid=receipt-pending]").Count.ShouldBe(1);
    }

    [Fact]
    public void A_buy_receipt_shows_token_network_explorer_fiat_and_fees()
    {
        var receipt = new AttemptReceipt("att_aaaaaaaaaaaaaaaaaaaaaaaaaa", "tx_1", "BUY", Created)
        {
            Token = "USDC", TokenAmount = "98.50", Network = "polygon", ExplorerUrl = "https://polygonscan.com/tx/0xabc",
            Currency = "EUR", FiatAmount = "100.00", TotalFees = "1.50", WalletAddress = "0x1111111111111111111111111111111111111111",
        };

        var cut = Render<OutcomeView>(p => p.Add(v => v.View, ViewOf(CheckoutFlow.OnRamp, AttemptStatus.Fulfilled)).Add(v => v.Receipt, receipt));

        cut.Find("[data-testid=receipt-token]").TextContent.ShouldBe("98.50 USDC");
        cut.Find("[data-testid=receipt-network]").TextContent.ShouldBe("polygon");
        cut.Find("[data-testid=receipt-explorer]").GetAttribute("href").ShouldBe("https://polygonscan.com/tx/0xabc");
        cut.Find("[data-testid=receipt-fiat]").TextContent.ShouldBe("100.00 EUR");
        cut.Find("[data-testid=receipt-fees]").TextContent.ShouldBe("1.50 EUR");
        cut.FindAll("[data-testid=receipt-bank]").ShouldBeEmpty();
    }

    [Fact]
    public void A_sell_receipt_shows_only_a_masked_bank_account()
    {
        var receipt = new AttemptReceipt("att_aaaaaaaaaaaaaaaaaaaaaaaaaa", "tx_2", "SELL", Created)
        {
            Token = "ETH", TokenAmount = "0.5", Currency = "EUR", FiatAmount = "1500.00", TotalFees = "7.50",
            MaskedBankAccount = AttemptReceipt.Mask("DE89 3704 0044 0532 0130 00"),
        };

        var cut = Render<OutcomeView>(p => p.Add(v => v.View, ViewOf(CheckoutFlow.OffRamp, AttemptStatus.Fulfilled)).Add(v => v.Receipt, receipt));

        cut.Find("[data-testid=receipt-bank]").TextContent.ShouldBe("•••• 3000");
        cut.Markup.ShouldNotContain("3704");
    }

    private static CheckoutStatusView ViewOf(CheckoutFlow flow, AttemptStatus status)
    {
        var copy = CheckoutCopy.For(flow, status);
        return new("att_aaaaaaaaaaaaaaaaaaaaaaaaaa", status.ToWire(), copy.View,
            status is AttemptStatus.Failed or AttemptStatus.Expired or AttemptStatus.Cancelled,
            status.IsTerminal() ? null : 3000, flow.ToWire(), Created, copy.Title, copy.Message, copy.NextAction);
    }
}
