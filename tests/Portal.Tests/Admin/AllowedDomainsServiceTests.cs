using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Admin;
using Portal.Core.Records;
using Portal.Tests.Sandbox;
using Portal.Tests.Support;

namespace Portal.Tests.Admin;

/// <summary>Allowed domains are read from and saved to 0Gate (a real sandbox on a loopback port).</summary>
public sealed class AllowedDomainsServiceTests
{
    private static readonly StaffMember Ada = new("ada", "Ada", "admin");

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

        var saved = await service.SaveAsync(Ada, ["http://localhost:5080", "HTTPS://Shop.Example.com/", "https://shop.example.com:8443"], default);

        saved.Succeeded.ShouldBeTrue(saved.Problem);
        saved.Saved!.Origins.ShouldBe(["http://localhost:5080", "https://shop.example.com", "https://shop.example.com:8443"]);
        saved.Saved.RequestId.ShouldStartWith("req_");

        var partner = await ReadPartnerAsync(sandbox);
        partner.GetProperty("allowed_domains").EnumerateArray().Select(e => e.GetString()).ShouldBe(saved.Saved.Origins);
        partner.GetProperty("webhook_url").GetString().ShouldBe("http://127.0.0.1:9/webhooks/0gate");
        partner.GetProperty("kyc_trusted").GetBoolean().ShouldBeTrue();
        (await service.LoadAsync(default)).Settings!.Origins.ShouldBe(saved.Saved.Origins);

        // On the record: who, the list before and after, and 0Gate's request id.
        var entry = (await core.WithDbAsync(db => db.AuditEntries.ToListAsync())).ShouldHaveSingleItem();
        entry.Action.ShouldBe(AuditAction.ChangeAllowedOrigins);
        entry.Result.ShouldBe(AuditResult.Changed);
        (entry.ActorSubject, entry.ActorName, entry.ActorRole).ShouldBe(("ada", "Ada", "admin"));
        entry.Before.ShouldBe(SandboxTestHost.AllowedOrigin);
        entry.After.ShouldBe("http://localhost:5080\nhttps://shop.example.com\nhttps://shop.example.com:8443");
        entry.GateRequestId.ShouldBe(saved.Saved.RequestId);
        entry.Detail.ShouldBe("added https://shop.example.com, https://shop.example.com:8443");
    }

    [Fact]
    public async Task An_invalid_list_is_refused_by_the_portal_and_0Gate_keeps_its_list()
    {
        await using var sandbox = await SandboxTestHost.StartAsync();
        await using var core = await StartCoreAsync(sandbox);

        var result = await core.Get<AllowedDomainsService>().SaveAsync(Ada, ["https://ok.example", "https://*.example", "https://ok.example/"], default);

        result.Succeeded.ShouldBeFalse();
        result.Problems.Keys.ShouldBe([1, 2], ignoreOrder: true);
        result.Problem!.ShouldContain("nothing was saved");
        (await core.WithDbAsync(db => db.AuditEntries.CountAsync())).ShouldBe(0);
        (await ReadPartnerAsync(sandbox)).GetProperty("allowed_domains").EnumerateArray().Select(e => e.GetString()).ShouldBe([SandboxTestHost.AllowedOrigin]);
    }

    [Fact]
    public async Task When_0Gate_is_down_loading_and_saving_say_so_without_throwing()
    {
        await using var core = await CoreHarness.StartAsync();
        var service = core.Get<AllowedDomainsService>();

        var load = await service.LoadAsync(default);
        var save = await service.SaveAsync(Ada, ["https://shop.example.com"], default);

        load.Settings.ShouldBeNull();
        load.Problem!.ShouldContain("0Gate could not be reached");
        save.Succeeded.ShouldBeFalse();
        save.Problem!.ShouldContain("Nothing was changed");
        var failed = (await core.WithDbAsync(db => db.AuditEntries.ToListAsync())).ShouldHaveSingleItem();
        failed.Action.ShouldBe(AuditAction.ChangeAllowedOrigins);
        failed.Result.ShouldBe(AuditResult.Failed);
        failed.After.ShouldBe("https://shop.example.com");
    }

    [Fact]
    public async Task Live_keys_make_https_mandatory()
    {
        await using var core = await CoreHarness.StartAsync(secretKey: "sk_live_core_harness", publishableKey: "pk_live_core_harness");
        var service = core.Get<AllowedDomainsService>();

        var result = await service.SaveAsync(Ada, ["http://shop.example.com"], default);

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
