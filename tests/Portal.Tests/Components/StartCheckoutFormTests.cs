using Bunit;
using MudBlazor;
using Portal.Components.Checkout;
using Portal.Core.Attempts;
using Portal.Core.Checkout;
using Portal.Core.Gate;

namespace Portal.Tests.Components;

public sealed class StartCheckoutFormTests : PortalComponentTest
{
    private static readonly GateCapabilities Everything = new(
        ["on_ramp", "off_ramp", "swap"], ["EUR", "USD"], ["USDC", "ETH"], ["polygon", "base"]);

    [Theory]
    [InlineData(CheckoutFlow.OnRamp)]
    [InlineData(CheckoutFlow.OffRamp)]
    [InlineData(CheckoutFlow.Swap)]
    public void A_flow_0Gate_does_not_allow_shows_an_unavailable_state_and_no_form(CheckoutFlow flow)
    {
        var allowed = Everything with { Flows = Everything.Flows.Where(f => f != flow.ToWire()).ToList() };

        var cut = Render<StartCheckoutForm>(p => p.Add(f => f.Flow, flow).Add(f => f.Capabilities, allowed));

        cut.Find("[data-testid=flow-unavailable]").TextContent.ShouldContain("not available right now");
        cut.FindAll("button").ShouldBeEmpty();
    }

    [Fact]
    public void Only_currencies_tokens_and_networks_0Gate_allows_are_offered()
    {
        var cut = Render<StartCheckoutForm>(p => p.Add(f => f.Flow, CheckoutFlow.OnRamp).Add(f => f.Capabilities, Everything with { Networks = ["base"] }));

        var selects = cut.FindComponents<MudSelect<string>>();
        selects.Single(s => s.Instance.Label == "Network").FindComponents<MudSelectItem<string>>().Select(i => i.Instance.Value).ShouldBe(["base"]);
        selects.Single(s => s.Instance.Label == "Currency").FindComponents<MudSelectItem<string>>().Select(i => i.Instance.Value).ShouldBe(["EUR", "USD"]);
    }

    [Fact]
    public void Choices_start_on_what_0Gate_offers_and_the_amount_is_left_to_the_customer()
    {
        var submitted = 0;
        var cut = Render<StartCheckoutForm>(p => p
            .Add(f => f.Flow, CheckoutFlow.OnRamp)
            .Add(f => f.Capabilities, Everything)
            .Add(f => f.OnSubmit, (StartCheckout _) => submitted++));

        cut.FindAll("button").Single(b => b.TextContent.Trim() == "Continue").Click();

        cut.WaitForAssertion(() => cut.Markup.ShouldContain("Enter an amount, for example 10.50."));
        submitted.ShouldBe(0);
        var selects = cut.FindComponents<MudSelect<string>>();
        selects.Single(s => s.Instance.Label == "Currency").Find("input").GetAttribute("value").ShouldBe("EUR");
        selects.Single(s => s.Instance.Label == "Network").Find("input").GetAttribute("value").ShouldBe("polygon");
    }

    [Fact]
    public void A_swap_never_preselects_the_same_asset_on_both_sides()
    {
        var cut = Render<StartCheckoutForm>(p => p.Add(f => f.Flow, CheckoutFlow.Swap).Add(f => f.Capabilities, Everything));

        var selects = cut.FindComponents<MudSelect<string>>();
        selects.Single(s => s.Instance.Label == "From").Find("input").GetAttribute("value").ShouldBe("USDC");
        selects.Single(s => s.Instance.Label == "To").Find("input").GetAttribute("value").ShouldBe("ETH");
    }

    [Theory]
    [InlineData("0", "Enter an amount greater than zero, for example 0.025.")]
    [InlineData("-5", "Enter an amount greater than zero, for example 0.025.")]
    [InlineData("2000000", "Enter an amount of at most 1,000,000.")]
    [InlineData("1.123456789", "Use at most 8 decimal places, for example 0.025.")]
    [InlineData("0,5", "Use a dot for decimals, for example 0.025 (not a comma).")]
    public void Bad_swap_amounts_are_explained_inline(string amount, string message)
    {
        var submitted = 0;
        var cut = Render<StartCheckoutForm>(p => p
            .Add(f => f.Flow, CheckoutFlow.Swap)
            .Add(f => f.Capabilities, Everything)
            .Add(f => f.OnSubmit, (StartCheckout _) => submitted++));
        TypeAmount(cut, amount);

        cut.FindAll("button").Single(b => b.TextContent.Trim() == "Continue").Click();

        // MudBlazor validates asynchronously: the message may come in a render after the click returns.
        cut.WaitForAssertion(() => cut.Markup.ShouldContain(message));
        submitted.ShouldBe(0);
        cut.FindAll("[data-testid=review]").ShouldBeEmpty();
    }

    // Amounts (docs/architecture.md#amounts-and-receipts): digits with an optional dot, never reinterpreted. Each of these would have been read as
    // something else by a numeric input (10,50 → 1050, 1e5 → 100000 or 15, 1 000 → 1000).
    [Theory]
    [InlineData("10,50", "Use a dot for decimals, for example 10.50 (not a comma).")]
    [InlineData("1e5", "Enter digits only. Use a dot for decimals, for example 10.50.")]
    [InlineData("1 000", "Enter digits only. Use a dot for decimals, for example 10.50.")]
    [InlineData("-1", "Enter an amount greater than zero, for example 10.50.")]
    [InlineData("0", "Enter an amount greater than zero, for example 10.50.")]
    [InlineData("0.00", "Enter an amount greater than zero, for example 10.50.")]
    [InlineData("10.505", "Use at most 2 decimal places, for example 10.50.")]
    [InlineData("10.", "Enter digits only. Use a dot for decimals, for example 10.50.")]
    [InlineData(".5", "Enter digits only. Use a dot for decimals, for example 10.50.")]
    [InlineData("١٠", "Enter digits only. Use a dot for decimals, for example 10.50.")]
    public void Fiat_amounts_in_any_other_form_are_refused_with_the_expected_form(string amount, string message)
    {
        var submitted = 0;
        var cut = Render<StartCheckoutForm>(p => p
            .Add(f => f.Flow, CheckoutFlow.OnRamp)
            .Add(f => f.Capabilities, Everything)
            .Add(f => f.OnSubmit, (StartCheckout _) => submitted++));
        TypeAmount(cut, amount);

        cut.FindAll("button").Single(b => b.TextContent.Trim() == "Continue").Click();

        // MudBlazor validates asynchronously: the message may come in a render after the click returns.
        cut.WaitForAssertion(() => cut.Markup.ShouldContain(message));
        submitted.ShouldBe(0);
        cut.FindAll("[data-testid=review]").ShouldBeEmpty();
    }

    [Fact]
    public void The_field_says_what_it_expects_before_anything_is_typed()
    {
        var cut = Render<StartCheckoutForm>(p => p.Add(f => f.Flow, CheckoutFlow.OffRamp).Add(f => f.Capabilities, Everything));

        cut.Markup.ShouldContain("Use a dot for decimals, for example 10.50");
    }

    [Fact]
    public async Task A_bad_wallet_address_is_refused_inline()
    {
        var submitted = 0;
        var cut = Render<StartCheckoutForm>(p => p
            .Add(f => f.Flow, CheckoutFlow.OnRamp)
            .Add(f => f.Capabilities, Everything)
            .Add(f => f.OnSubmit, (StartCheckout _) => submitted++));
        await FillBuyAsync(cut, wallet: "0x123");

        cut.FindAll("button").Single(b => b.TextContent.Trim() == "Continue").Click();

        cut.WaitForAssertion(() => cut.Markup.ShouldContain("Enter a wallet address like 0x followed by 40 hexadecimal characters, or leave it empty."));
        submitted.ShouldBe(0);
    }

    [Fact]
    public async Task A_valid_buy_submits_the_locked_values_with_one_start_token()
    {
        var submissions = new List<StartCheckout>();
        var cut = Render<StartCheckoutForm>(p => p
            .Add(f => f.Flow, CheckoutFlow.OnRamp)
            .Add(f => f.Capabilities, Everything)
            .Add(f => f.OnSubmit, (StartCheckout form) => submissions.Add(form)));
        await FillBuyAsync(cut, wallet: "0x52908400098527886E0F7030069857D2E4169EE7");

        cut.FindAll("button").Single(b => b.TextContent.Trim() == "Continue").Click();
        submissions.ShouldBeEmpty(); // a buy is reviewed first, like a sell
        cut.Find("[data-testid=review]").TextContent.ShouldContain("100.25 EUR, fees included");
        cut.FindAll("button").Single(b => b.TextContent.Trim() == "Confirm buy").Click();
        cut.FindAll("button").Single(b => b.TextContent.Trim() == "Confirm buy").Click();

        submissions.Count.ShouldBe(2);
        submissions[0].ShouldBe(new StartCheckout(CheckoutFlow.OnRamp, "100.25", "EUR", "USDC", "polygon", "0x52908400098527886E0F7030069857D2E4169EE7", submissions[0].StartToken));
        submissions[1].StartToken.ShouldBe(submissions[0].StartToken); // a double click is one start on the server
    }

    [Fact]
    public async Task A_sell_shows_a_confirmation_summary_before_submitting()
    {
        var submissions = new List<StartCheckout>();
        var cut = Render<StartCheckoutForm>(p => p
            .Add(f => f.Flow, CheckoutFlow.OffRamp)
            .Add(f => f.Capabilities, Everything)
            .Add(f => f.OnSubmit, (StartCheckout form) => submissions.Add(form)));
        await SelectAsync(cut, "Asset to sell", "ETH");
        await SelectAsync(cut, "Receive in", "EUR");
        TypeAmount(cut, "250");

        cut.FindAll("button").Single(b => b.TextContent.Trim() == "Continue").Click();

        submissions.ShouldBeEmpty();
        var summary = cut.Find("[data-testid=review]").TextContent;
        summary.ShouldContain("ETH on Polygon");
        // The sale amount, that 0Gate's fees come off it, and that the payout is less: before 0Gate, never "receive 250".
        cut.Find("[data-testid=review-amount]").TextContent.ShouldBe("250 EUR");
        cut.Find("[data-testid=review-fees]").TextContent.ShouldBe("0Gate's fees come off the sale amount");
        cut.Find("[data-testid=review-payout]").TextContent.ShouldStartWith("250 EUR minus 0Gate's fees");
        summary.ShouldNotContain("before fees");
        summary.ShouldContain("The exact payout is on your receipt.");
        cut.FindAll("button").Single(b => b.TextContent.Trim() == "Confirm sell").Click();
        submissions.ShouldHaveSingleItem().ShouldBe(new StartCheckout(CheckoutFlow.OffRamp, "250", "EUR", "ETH", "polygon", null, submissions[0].StartToken));
    }

    [Fact]
    public void A_swap_is_reviewed_and_can_be_edited_before_submitting()
    {
        var submissions = new List<StartCheckout>();
        var cut = Render<StartCheckoutForm>(p => p
            .Add(f => f.Flow, CheckoutFlow.Swap)
            .Add(f => f.Capabilities, Everything)
            .Add(f => f.OnSubmit, (StartCheckout form) => submissions.Add(form)));
        TypeAmount(cut, "0.5");
        cut.FindAll("button").Single(b => b.TextContent.Trim() == "Continue").Click();
        cut.Find("[data-testid=review-amount]").TextContent.ShouldBe("0.5 USDC");

        cut.FindAll("button").Single(b => b.TextContent.Trim() == "Edit").Click();
        TypeAmount(cut, "0.75");
        cut.FindAll("button").Single(b => b.TextContent.Trim() == "Continue").Click();
        cut.Find("[data-testid=review-note]").TextContent.ShouldContain("No price is promised here");
        cut.FindAll("button").Single(b => b.TextContent.Trim() == "Confirm swap").Click();

        submissions.ShouldHaveSingleItem().Amount.ShouldBe("0.75");
    }

    [Fact]
    public void A_swap_promises_no_price()
    {
        var cut = Render<StartCheckoutForm>(p => p.Add(f => f.Flow, CheckoutFlow.Swap).Add(f => f.Capabilities, Everything));

        cut.Find("[data-testid=swap-quote-note]").TextContent.ShouldContain("No price is promised here");
    }

    [Fact]
    public void Errors_from_the_server_are_shown_beside_their_fields()
    {
        var cut = Render<StartCheckoutForm>(p => p
            .Add(f => f.Flow, CheckoutFlow.Swap)
            .Add(f => f.Capabilities, Everything)
            .Add(f => f.ServerErrors, new Dictionary<string, string> { ["Amount"] = "Enter an amount of at most 1,000,000." }));

        cut.Markup.ShouldContain("Enter an amount of at most 1,000,000.");
    }

    private static async Task FillBuyAsync(IRenderedComponent<StartCheckoutForm> cut, string wallet)
    {
        TypeAmount(cut, "100.25");
        await SelectAsync(cut, "Currency", "EUR");
        await SelectAsync(cut, "Token", "USDC");
        await SelectAsync(cut, "Network", "polygon");
        cut.FindComponents<MudTextField<string>>().Single(t => t.Instance.Label!.StartsWith("Wallet", StringComparison.Ordinal)).Find("input").Change(wallet);
    }

    /// <summary>Types into "Amount" and waits until the field holds the text (MudBlazor applies input asynchronously).</summary>
    private static void TypeAmount(IRenderedComponent<StartCheckoutForm> cut, string text)
    {
        var field = cut.FindComponents<MudTextField<string>>().Single(t => t.Instance.Label == "Amount");
        field.Find("input").Input(text);
        cut.WaitForAssertion(() => field.Find("input").GetAttribute("value").ShouldBe(text));
    }

    private static Task SelectAsync(IRenderedComponent<StartCheckoutForm> cut, string label, string value)
    {
        var select = cut.FindComponents<MudSelect<string>>().Single(s => s.Instance.Label == label);
        return cut.InvokeAsync(() => select.Instance.SelectOption(value));
    }
}
