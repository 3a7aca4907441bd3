using System.Text.Json;
using Portal.Core.Admin;
using Portal.Tests.Sandbox;
using Portal.Tests.Support;

namespace Portal.Tests.Admin;

/// <summary>Allowed domains are read from and saved to 0Gate (a real sandbox on a loopback port).</summary>
public sealed class AllowedDomainsServiceTests
{
    [Fact]
    public async Task Saving_sends_the_normalized_list_to_0Gate_and_reads_it_back_leaving_the_webhook_and_kyc_unchanged()
    {
        await using var sandbox = await SandboxTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Sandbox:Partner:WebhookUrl"] = "http://127.0.0.1:9/webhooks/0gate",
            ["Sandbox:Partner:KycTrusted"] = "true",
        });
        await using var core = await StartCoreAsync(sandbox);
        var service = core.Get<AllowedDomainsService>();

        var before = await service.LoadAsync(default);
        before.Settings!.Origins.ShouldBe([SandboxTestHost.AllowedOrigin]);

        var saved = await service.SaveAsync(["http://localhost:5080", "HTTPS://Shop.Example.com/", "https://shop.example.com:8443"], default);

        saved.Succeeded.ShouldBeTrue(saved.Problem);
        saved.Saved!.Origins.ShouldBe(["http://localhost:5080", "https://shop.example.com", "https://shop.example.com:8443"]);
        saved.Saved.RequestId.ShouldStartWith("req_");

        var partner = await ReadPartnerAsync(sandbox);
        partner.GetProperty("allowed_domains").EnumerateArray().Select(e => e.GetString()).ShouldBe(saved.Saved.Origins);
        partner.GetProperty("webhook_url").GetString().ShouldBe("http://127.0.0.1:9/webhooks/0gate");
        partner.GetProperty("kyc_trusted").GetBoolean().ShouldBeTrue();
        (await service.LoadAsync(default)).Settings!.Origins.ShouldBe(saved.Saved.Origins);
    }

    [Fact]
    public async Task An_invalid_list_is_refused_by_the_portal_and_0Gate_keeps_its_list()
    {
        await using var sandbox = await SandboxTestHost.StartAsync();
        await using var core = await StartCoreAsync(sandbox);

        var result = await core.Get<AllowedDomainsService>().SaveAsync(["https://ok.example", "https://*.example", "https://ok.example/"], default);

        result.Succeeded.ShouldBeFalse();
        result.Problems.Keys.ShouldBe([1, 2], ignoreOrder: true);
        result.Problem!.ShouldContain("nothing was saved");
        (await ReadPartnerAsync(sandbox)).GetProperty("allowed_domains").EnumerateArray().Select(e => e.GetString()).ShouldBe([SandboxTestHost.AllowedOrigin]);
    }

    [Fact]
    public async Task When_0Gate_is_down_loading_and_saving_say_so_without_throwing()
    {
        await using var core = await CoreHarness.StartAsync();
        var service = core.Get<AllowedDomainsService>();

        var load = await service.LoadAsync(default);
        var save = await service.SaveAsync(["https://shop.example.com"], default);

        load.Settings.ShouldBeNull();
        load.Problem!.ShouldContain("0Gate could not be reached");
        save.Succeeded.ShouldBeFalse();
        save.Problem!.ShouldContain("Nothing was changed");
    }

    [Fact]
    public async Task Live_keys_make_https_mandatory()
    {
        await using var core = await CoreHarness.StartAsync(secretKey: "sk_live_core_harness", publishableKey: "pk_live_core_harness");
        var service = core.Get<AllowedDomainsService>();

        var result = await service.SaveAsync(["http://shop.example.com"], default);

        service.IsLive.ShouldBeTrue();
        result.Problems[0].ShouldContain("must use https");
    }

    private static Task<CoreHarness> StartCoreAsync(SandboxTestHost sandbox) =>
        CoreHarness.StartAsync(gateBaseUrl: sandbox.BaseAddress, secretKey: SandboxTestHost.SecretKey, publishableKey: SandboxTestHost.PublishableKey);

    private static async Task<JsonElement> ReadPartnerAsync(SandboxTestHost sandbox)
    {
        using var response = await sandbox.Client.GetAsync("/v1/partner");
        return await SandboxTestHost.ReadJsonAsync(response);
    }
}
