using System.Net;

namespace Portal.Tests.Sandbox;

public sealed class CapabilitiesTests
{
    [Fact]
    public async Task Capabilities_are_readable_with_either_key_but_not_without_one()
    {
        await using var host = await SandboxTestHost.StartAsync();
        using var browser = host.CreateClient(SandboxTestHost.PublishableKey);
        using var anonymous = host.CreateClient(null);

        using var withPk = await browser.GetAsync("/v1/capabilities");
        using var withSk = await host.Client.GetAsync("/v1/capabilities");
        using var without = await anonymous.GetAsync("/v1/capabilities");

        withPk.StatusCode.ShouldBe(HttpStatusCode.OK);
        withSk.StatusCode.ShouldBe(HttpStatusCode.OK);
        without.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var caps = await SandboxTestHost.ReadJsonAsync(withPk);
        Names(caps, "flows").ShouldBe(["on_ramp", "off_ramp", "swap"]);
        Names(caps, "currencies").ShouldBe(["EUR", "DKK", "USD", "BRL", "MXN", "COP"]);
        Names(caps, "tokens").ShouldContain("USDC");
        Names(caps, "networks").ShouldBe(["ethereum", "polygon", "base", "arbitrum", "optimism"]);
    }

    [Fact]
    public async Task Capabilities_switched_off_in_configuration_are_hidden_and_refused()
    {
        await using var host = await SandboxTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Sandbox:Disabled:Flows:0"] = "swap",
            ["Sandbox:Disabled:Currencies:0"] = "BRL",
            ["Sandbox:Disabled:Tokens:0"] = "USDT",
            ["Sandbox:Disabled:Networks:0"] = "polygon",
        });

        using var response = await host.Client.GetAsync("/v1/capabilities");
        var caps = await SandboxTestHost.ReadJsonAsync(response);

        Names(caps, "flows").ShouldNotContain("swap");
        Names(caps, "currencies").ShouldNotContain("BRL");
        Names(caps, "tokens").ShouldNotContain("USDT");
        Names(caps, "networks").ShouldNotContain("polygon");
        Names(caps, "currencies").ShouldContain("EUR");

        string[] refused =
        [
            """{"amount":"1","currency":"USDC","flow":"swap","target_token":"ETH","return_url":"https://shop.example/r"}""",
            """{"amount":"25","currency":"BRL","return_url":"https://shop.example/r"}""",
            """{"amount":"25","currency":"EUR","target_token":"USDT","return_url":"https://shop.example/r"}""",
            """{"amount":"25","currency":"EUR","target_network":"polygon","return_url":"https://shop.example/r"}""",
        ];
        foreach (var body in refused)
        {
            using var create = await host.PostSessionAsync(body);
            create.StatusCode.ShouldBe(HttpStatusCode.BadRequest, body);
            (await create.ErrorCodeAsync()).ShouldBe("capability_unavailable", body);
        }
    }

    [Fact]
    public async Task Capabilities_can_be_switched_off_at_runtime()
    {
        await using var host = await SandboxTestHost.StartAsync();

        using var put = await host.Client.PutAsync("/v1/sandbox/capabilities", SandboxTestHost.Json("""{"flows":["off_ramp"]}"""));
        using var caps = await host.Client.GetAsync("/v1/capabilities");
        using var create = await host.PostSessionAsync(SandboxTestHost.SessionBody(flow: "off_ramp"));

        put.StatusCode.ShouldBe(HttpStatusCode.OK);
        Names(await SandboxTestHost.ReadJsonAsync(caps), "flows").ShouldBe(["on_ramp", "swap"]);
        (await create.ErrorCodeAsync()).ShouldBe("capability_unavailable");
    }

    private static string[] Names(System.Text.Json.JsonElement caps, string list) =>
        caps.GetProperty(list).EnumerateArray().Select(e => e.GetString()!).ToArray();
}
