using System.Net;

namespace Portal.Tests.Sandbox;

public sealed class ReceiptTests
{
    private static async Task<System.Text.Json.JsonElement> CompleteAsync(SandboxTestHost host, string body)
    {
        var session = await host.CreateSessionAsync(body);
        using var embed = EmbedTests.EmbedClient(host, await EmbedTests.BootstrapAsync(host, session.Str("client_secret")));
        using var complete = await embed.PostAsync("/v1/embed/session/complete", null);
        using var read = await host.Client.GetAsync($"/v1/gate_sessions/{session.Str("id")}");
        return await SandboxTestHost.ReadJsonAsync(read);
    }

    [Fact]
    public async Task Buy_receipt_has_the_settlement_fields_and_chain_table_explorer()
    {
        await using var host = await SandboxTestHost.StartAsync();
        var session = await CompleteAsync(host, """{"amount":"100.00","currency":"EUR","flow":"on_ramp","target_token":"USDC","target_network":"polygon","wallet_address":"0x52908400098527886E0F7030069857D2E4169EE7","return_url":"https://shop.example/r"}""");

        using var response = await host.Client.GetAsync($"/v1/transactions/{session.Str("tx_refid")}");
        var receipt = await SandboxTestHost.ReadJsonAsync(response);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        receipt.Str("refid").ShouldBe(session.Str("tx_refid"));
        receipt.Str("action").ShouldBe("BUY");
        receipt.Str("token").ShouldBe("USDC");
        receipt.Str("network").ShouldBe("polygon");
        receipt.Str("currency").ShouldBe("EUR");
        receipt.Str("fiat_amt").ShouldBe("100.00");
        receipt.Str("total_fees").ShouldBe("1.50");
        receipt.Str("total_pay_or_receive").ShouldBe("100.00");
        receipt.Str("payment_method").ShouldBe("SEPA");
        receipt.Str("user_address").ShouldBe("0x52908400098527886E0F7030069857D2E4169EE7");
        foreach (var field in new[] { "status", "token_amt", "exchange_rate", "total_fees", "total_pay_or_receive" })
        {
            receipt.Str(field).ShouldNotBeNullOrEmpty();
        }

        var chain = receipt.GetProperty("blockchain");
        chain.GetProperty("chain_id").GetInt32().ShouldBe(137);
        chain.Str("hash").ShouldMatch("^0x[0-9a-f]{64}$");
        chain.Str("explorer_url").ShouldBe($"https://polygonscan.com/tx/{chain.Str("hash")}");
        receipt.GetProperty("bank").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
    }

    [Fact]
    public async Task Sell_receipt_has_bank_details_and_no_user_address()
    {
        await using var host = await SandboxTestHost.StartAsync();
        var session = await CompleteAsync(host, """{"amount":"50.00","currency":"BRL","flow":"off_ramp","target_network":"base","return_url":"https://shop.example/r"}""");

        using var response = await host.Client.GetAsync($"/v1/transactions/{session.Str("tx_refid")}");
        var receipt = await SandboxTestHost.ReadJsonAsync(response);

        receipt.Str("action").ShouldBe("SELL");
        receipt.GetProperty("user_address").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
        var bank = receipt.GetProperty("bank");
        foreach (var field in new[] { "account_name", "account_number", "routing_number", "bank_name", "additional_details" })
        {
            bank.Str(field).ShouldNotBeNullOrEmpty();
        }

        receipt.Str("local_rail_transaction_id").ShouldNotBeNullOrEmpty();
        receipt.GetProperty("blockchain").GetProperty("chain_id").GetInt32().ShouldBe(8453);
    }

    [Fact]
    public async Task Permalink_is_stable_and_verified_and_a_wrong_token_is_404()
    {
        await using var host = await SandboxTestHost.StartAsync();
        var session = await CompleteAsync(host, SandboxTestHost.SessionBody());
        var refid = session.Str("tx_refid");

        using var first = await host.Client.GetAsync($"/v1/transactions/{refid}");
        using var second = await host.Client.GetAsync($"/v1/transactions/{refid}");
        var receipt = await SandboxTestHost.ReadJsonAsync(first);
        var token = receipt.Str("permalink_token");
        (await SandboxTestHost.ReadJsonAsync(second)).Str("permalink_token").ShouldBe(token);
        token.ShouldMatch("^[0-9a-f]{64}$");
        receipt.Str("permalink_url").ShouldBe($"{host.BaseAddress.GetLeftPart(UriPartial.Authority)}/receipts/{refid}?token={token}");

        using var anonymous = host.CreateClient(null);
        using var page = await anonymous.GetAsync(new Uri(receipt.Str("permalink_url")));
        using var wrong = await anonymous.GetAsync($"/receipts/{refid}?token={new string('0', 64)}");
        using var missing = await anonymous.GetAsync($"/receipts/{refid}");
        using var otherRefid = await anonymous.GetAsync($"/receipts/tx_nope?token={token}");

        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await page.Content.ReadAsStringAsync()).ShouldContain(refid);
        wrong.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        otherRefid.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Unknown_transaction_is_404_and_needs_the_secret_key()
    {
        await using var host = await SandboxTestHost.StartAsync();
        using var browser = host.CreateClient(SandboxTestHost.PublishableKey);

        using var unknown = await host.Client.GetAsync("/v1/transactions/tx_nope");
        using var withPk = await browser.GetAsync("/v1/transactions/tx_nope");

        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await unknown.ErrorCodeAsync()).ShouldBe("transaction_not_found");
        withPk.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
