using Bunit;
using Portal.Components.Checkout;
using Portal.Core.Attempts;
using Portal.Core.Reads;

namespace Portal.Tests.Components;

public sealed class OutcomePanelTests : PortalComponentTest
{
    private static readonly DateTimeOffset Created = new(2026, 11, 22, 9, 30, 0, TimeSpan.Zero);

    // The exact customer copy (docs/architecture.md#customer-copy), written out here so a changed string fails.
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
            var cut = Render<OutcomePanel>(p => p.Add(v => v.View, ViewOf(flow, status)));

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
        var cut = Render<OutcomePanel>(p => p.Add(v => v.View, ViewOf(CheckoutFlow.OffRamp, status)));

        cut.Find("[data-testid=outcome-message]").TextContent.ShouldBe(copy);
        cut.Markup.ShouldNotContain("paid out", Case.Insensitive);
    }

    [Theory]
    [InlineData(AttemptStatus.PendingSession, false, true)]
    [InlineData(AttemptStatus.RequiresAction, false, true)]
    [InlineData(AttemptStatus.Processing, false, true)]
    [InlineData(AttemptStatus.Fulfilled, false, false)]
    [InlineData(AttemptStatus.Failed, true, false)]
    [InlineData(AttemptStatus.Expired, true, false)]
    [InlineData(AttemptStatus.Cancelled, true, false)]
    public void Retry_is_offered_only_for_closed_unsuccessful_attempts(AttemptStatus status, bool retry, bool resume)
    {
        var cut = Render<OutcomePanel>(p => p.Add(v => v.View, ViewOf(CheckoutFlow.Swap, status)));

        cut.FindAll("a[href='/checkout/new?flow=swap']").Count.ShouldBe(retry ? 1 : 0);
        cut.FindAll("a[href='/checkout/att_test/']").Count.ShouldBe(0);
        cut.FindAll("a[href='/checkout/att_aaaaaaaaaaaaaaaaaaaaaaaaaa']").Count.ShouldBe(resume ? 1 : 0);
    }

    [Fact]
    public void Verification_needed_is_said_plainly_with_a_way_back_into_0Gate()
    {
        var view = new CheckoutStatusView("att_aaaaaaaaaaaaaaaaaaaaaaaaaa", AttemptStatus.RequiresAction, OutcomeView.VerificationRequired, CheckoutFlow.OnRamp,
            Created, CheckoutCopy.For(CheckoutFlow.OnRamp, OutcomeView.VerificationRequired));

        var cut = Render<OutcomePanel>(p => p.Add(v => v.View, view));

        cut.Find("[data-testid=outcome]").GetAttribute("data-view").ShouldBe("verification_required");
        cut.Find("#outcome-title").TextContent.ShouldBe("Verification needed");
        cut.Find("[data-testid=verification-needed]").TextContent.ShouldContain("0Gate needs to verify your identity");
        cut.FindAll("a[href='/checkout/att_aaaaaaaaaaaaaaaaaaaaaaaaaa']").Count.ShouldBe(1);
    }

    [Fact]
    public void Shows_the_reference_created_time_and_state()
    {
        var cut = Render<OutcomePanel>(p => p.Add(v => v.View, ViewOf(CheckoutFlow.OnRamp, AttemptStatus.Processing)));

        cut.Find("[data-testid=attempt-id]").TextContent.ShouldBe("att_aaaaaaaaaaaaaaaaaaaaaaaaaa");
        cut.Markup.ShouldContain("2026-11-22 09:30 UTC");
        cut.Find("[data-testid=attempt-status]").TextContent.ShouldBe("processing");
    }

    [Fact]
    public void Success_without_a_receipt_yet_says_it_is_on_its_way()
    {
        var cut = Render<OutcomePanel>(p => p.Add(v => v.View, ViewOf(CheckoutFlow.OnRamp, AttemptStatus.Fulfilled)));

        cut.FindAll("[data-testid=receipt-pending]").Count.ShouldBe(1);
    }

    [Fact]
    public void A_buy_receipt_shows_what_was_paid_and_received_after_fees_the_rate_method_wallet_and_permalink()
    {
        var receipt = new AttemptReceipt("att_aaaaaaaaaaaaaaaaaaaaaaaaaa", "tx_1", "BUY", Created)
        {
            Token = "USDC", TokenAmount = "107.07", Network = "polygon", ExplorerUrl = "https://polygonscan.com/tx/0xabc",
            Currency = "EUR", FiatAmount = "100.00", TotalFees = "1.50", TotalPayOrReceive = "100.00", ExchangeRate = "0.92",
            PaymentMethod = "SEPA", WalletAddress = "0x1111111111111111111111111111111111111111",
            PermalinkUrl = "https://gate-sandbox.0bit.app/r/tx_1?t=abc",
        };

        var cut = Render<OutcomePanel>(p => p.Add(v => v.View, ViewOf(CheckoutFlow.OnRamp, AttemptStatus.Fulfilled)).Add(v => v.Receipt, CustomerReceipt.From(receipt)));

        cut.Find("[data-testid=receipt-paid]").TextContent.ShouldBe("100.00 EUR");
        cut.Find("[data-testid=receipt-fees]").TextContent.ShouldBe("1.50 EUR");
        cut.Find("[data-testid=receipt-received]").TextContent.ShouldBe("107.07 USDC");
        cut.Find("[data-testid=receipt-rate]").TextContent.ShouldBe("1 USDC = 0.92 EUR");
        cut.Find("[data-testid=receipt-method]").TextContent.ShouldBe("SEPA");
        cut.Find("[data-testid=receipt-destination]").TextContent.ShouldBe("0x1111111111111111111111111111111111111111");
        cut.Find("[data-testid=receipt-network]").TextContent.ShouldBe("polygon");
        cut.Find("[data-testid=receipt-explorer]").GetAttribute("href").ShouldBe("https://polygonscan.com/tx/0xabc");
        cut.Find("[data-testid=receipt-permalink]").GetAttribute("href").ShouldBe("https://gate-sandbox.0bit.app/r/tx_1?t=abc");
        cut.Find("[data-testid=receipt-tx]").TextContent.ShouldBe("tx_1");
        cut.FindAll("button[aria-label='Copy transaction id']").Count.ShouldBe(1);
        cut.FindAll("button[aria-label='Copy reference']").Count.ShouldBe(1);
    }

    [Fact]
    public void A_sell_receipt_shows_the_payout_after_fees_and_only_a_masked_bank_account()
    {
        var receipt = new AttemptReceipt("att_aaaaaaaaaaaaaaaaaaaaaaaaaa", "tx_2", "SELL", Created)
        {
            Token = "USDC", TokenAmount = "108.69565217", Currency = "EUR", FiatAmount = "100.00", TotalFees = "1.50",
            TotalPayOrReceive = "98.50", ExchangeRate = "0.92", PaymentMethod = "SEPA",
            MaskedBankAccount = AttemptReceipt.Mask("DE89 3704 0044 0532 0130 00"),
        };

        var cut = Render<OutcomePanel>(p => p.Add(v => v.View, ViewOf(CheckoutFlow.OffRamp, AttemptStatus.Fulfilled)).Add(v => v.Receipt, CustomerReceipt.From(receipt)));

        cut.Find("[data-testid=receipt-received]").TextContent.ShouldBe("98.50 EUR");
        cut.Find("[data-testid=receipt-gross]").TextContent.ShouldBe("100.00 EUR");
        cut.Find("[data-testid=receipt-fees]").TextContent.ShouldBe("− 1.50 EUR");
        cut.Find("[data-testid=receipt-sold]").TextContent.ShouldBe("108.69565217 USDC");
        cut.Find("[data-testid=receipt-destination]").TextContent.ShouldBe("•••• 3000");
        cut.Markup.ShouldNotContain("You receive</th><td data-testid=\"receipt-received\"><strong>100.00");
        cut.Markup.ShouldNotContain("3704");
    }

    [Fact]
    public void A_swap_receipt_states_the_rate_source_to_target()
    {
        var receipt = new AttemptReceipt("att_aaaaaaaaaaaaaaaaaaaaaaaaaa", "tx_3", "SWAP", Created)
        {
            Token = "ETH", TokenAmount = "0.01658333", Currency = "USDC", FiatAmount = "50", TotalFees = "0.25",
            TotalPayOrReceive = "50", ExchangeRate = "0.00033333", PaymentMethod = "WALLET",
        };

        var cut = Render<OutcomePanel>(p => p.Add(v => v.View, ViewOf(CheckoutFlow.Swap, AttemptStatus.Fulfilled)).Add(v => v.Receipt, CustomerReceipt.From(receipt)));

        cut.Find("[data-testid=receipt-paid]").TextContent.ShouldBe("50 USDC");
        cut.Find("[data-testid=receipt-received]").TextContent.ShouldBe("0.01658333 ETH");
        cut.Find("[data-testid=receipt-rate]").TextContent.ShouldBe("1 USDC = 0.00033333 ETH");
    }

    [Theory]
    [InlineData(AttemptStatus.Fulfilled)]
    [InlineData(AttemptStatus.Failed)]
    [InlineData(AttemptStatus.Expired)]
    [InlineData(AttemptStatus.Cancelled)]
    public void Each_outcome_sentence_appears_once_and_nothing_repeats_it(AttemptStatus status)
    {
        foreach (var flow in new[] { CheckoutFlow.OnRamp, CheckoutFlow.OffRamp, CheckoutFlow.Swap })
        {
            var view = ViewOf(flow, status);
            var cut = Render<OutcomePanel>(p => p.Add(v => v.View, view));

            var text = cut.Find("[data-testid=outcome]").TextContent;
            Occurrences(text, view.Copy.Message).ShouldBe(1);
            Occurrences(text, "Start again to get a fresh checkout.").ShouldBeLessThanOrEqualTo(1);
            text.ShouldNotContain("Your receipt is below");
            text.ShouldNotContain("Try again with a new checkout");
        }
    }

    [Fact]
    public void Back_on_return_before_the_hosted_flow_finished_says_0Gate_has_not_been_heard_from_with_a_way_back()
    {
        var attempt = new CheckoutAttempt("alice", CheckoutFlow.OnRamp, 10m, "EUR", "USDC", "polygon", null, Created);
        attempt.AttachSession("gs_return", Created, "test");

        var view = CheckoutStatusView.For(attempt, OutcomeArrival.Return);
        var cut = Render<OutcomePanel>(p => p.Add(v => v.View, view));

        view.View.ShouldBe(OutcomeView.NotFinished);
        cut.Find("[data-testid=outcome-message]").TextContent.ShouldBe("We have not heard from 0Gate yet.");
        cut.Markup.ShouldNotContain("Confirming");
        cut.Markup.ShouldNotContain(CheckoutCopy.Processing);
        cut.FindAll($"a[href='/checkout/{attempt.Id}']").Count.ShouldBe(1);

        attempt.MarkReturned(Created.AddMinutes(1)); // the hosted flow said it finished: now it is "Confirming"
        var confirming = Render<OutcomePanel>(p => p.Add(v => v.View, CheckoutStatusView.For(attempt, OutcomeArrival.Return)));
        confirming.Find("#outcome-title").TextContent.ShouldBe("Confirming");
        confirming.Find("[data-testid=outcome-message]").TextContent.ShouldBe(CheckoutCopy.Processing);
    }

    [Theory]
    [InlineData("help@partner.example", "mailto:help@partner.example?subject=Checkout%20att_aaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("https://help.partner.example/ticket?ref={attemptId}", "https://help.partner.example/ticket?ref=att_aaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("https://help.partner.example/new", "https://help.partner.example/new?reference=att_aaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void The_support_contact_carries_the_attempt_reference(string contact, string href)
    {
        var support = new Portal.Checkout.SupportContact(Microsoft.Extensions.Options.Options.Create(new Portal.Checkout.SupportOptions { Contact = contact }));

        var cut = Render<OutcomePanel>(p => p.Add(v => v.View, ViewOf(CheckoutFlow.OnRamp, AttemptStatus.Failed))
            .Add(v => v.SupportHref, support.HrefFor("att_aaaaaaaaaaaaaaaaaaaaaaaaaa")));

        cut.Find("[data-testid=support-contact]").GetAttribute("href").ShouldBe(href);
    }

    [Fact]
    public void No_support_contact_configured_no_dead_link()
    {
        var support = new Portal.Checkout.SupportContact(Microsoft.Extensions.Options.Options.Create(new Portal.Checkout.SupportOptions()));
        support.HrefFor("att_aaaaaaaaaaaaaaaaaaaaaaaaaa").ShouldBeNull();

        var cut = Render<OutcomePanel>(p => p.Add(v => v.View, ViewOf(CheckoutFlow.OnRamp, AttemptStatus.Failed)));

        cut.FindAll("[data-testid=support-contact]").ShouldBeEmpty();
    }

    private static int Occurrences(string text, string part) =>
        (text.Length - text.Replace(part, string.Empty, StringComparison.Ordinal).Length) / part.Length;

    private static CheckoutStatusView ViewOf(CheckoutFlow flow, AttemptStatus status)
    {
        var view = status switch
        {
            AttemptStatus.Fulfilled => OutcomeView.Success,
            AttemptStatus.Failed => OutcomeView.Failed,
            AttemptStatus.Expired => OutcomeView.Expired,
            AttemptStatus.Cancelled => OutcomeView.Cancelled,
            AttemptStatus.Processing => OutcomeView.Processing,
            _ => OutcomeView.NotFinished,
        };
        return new("att_aaaaaaaaaaaaaaaaaaaaaaaaaa", status, view, flow, Created, CheckoutCopy.For(flow, view));
    }
}
