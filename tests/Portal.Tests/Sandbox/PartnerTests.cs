using System.Net;

namespace Portal.Tests.Sandbox;

public sealed class PartnerTests
{
    [Theory]
    [InlineData("https://*.shop.example")]
    [InlineData("https://shop.example/checkout")]
    [InlineData("https://shop.example?x=1")]
    [InlineData("shop.example")]
    [InlineData("ftp://shop.example")]
    [InlineData("https://user@shop.example")]
    public async Task Allowed_domains_must_be_exact_origins(string domain)
    {
        await using var host = await SandboxTestHost.StartAsync();

        using var response = await host.Client.PutAsync("/v1/partner", SandboxTestHost.Json($$"""{"allowed_domains":["{{domain}}"]}"""));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ErrorCodeAsync()).ShouldBe("allowed_domain_invalid");
    }

    [Fact]
    public async Task Partner_settings_are_readable_and_writable_with_the_secret_key()
    {
        await using var host = await SandboxTestHost.StartAsync();

        using var put = await host.Client.PutAsync("/v1/partner",
            SandboxTestHost.Json("""{"allowed_domains":["https://Shop.Example:8443/","http://localhost:5080"],"webhook_url":"https://shop.example/hooks","kyc_trusted":true}"""));
        using var get = await host.Client.GetAsync("/v1/partner");
        using var browser = host.CreateClient(SandboxTestHost.PublishableKey);
        using var withPk = await browser.GetAsync("/v1/partner");
        using var page = await host.CreateClient(null).GetAsync($"/embed?pk={SandboxTestHost.PublishableKey}");

        put.StatusCode.ShouldBe(HttpStatusCode.OK);
        var partner = await SandboxTestHost.ReadJsonAsync(get);
        partner.GetProperty("allowed_domains").EnumerateArray().Select(e => e.GetString()).ShouldBe(["https://shop.example:8443", "http://localhost:5080"]);
        partner.Str("webhook_url").ShouldBe("https://shop.example/hooks");
        partner.GetProperty("kyc_trusted").GetBoolean().ShouldBeTrue();
        withPk.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        page.Headers.GetValues("Content-Security-Policy").Single().ShouldContain("frame-ancestors https://shop.example:8443 http://localhost:5080");
    }

    [Fact]
    public async Task Quota_warning_and_exhausted_fire_once_each_and_then_sessions_are_refused()
    {
        await using var host = await SandboxTestHost.StartAsync(new Dictionary<string, string?> { ["Sandbox:Quota:Limit"] = "5" });

        for (var i = 0; i < 3; i++)
        {
            await host.CreateSessionAsync();
        }

        (await host.EventsAsync("partner.quota.warning")).ShouldBeEmpty();
        await host.CreateSessionAsync();
        (await host.EventsAsync("partner.quota.warning")).Count.ShouldBe(1);
        (await host.EventsAsync("partner.quota.exhausted")).ShouldBeEmpty();
        await host.CreateSessionAsync();
        using var refused = await host.PostSessionAsync(SandboxTestHost.SessionBody());

        refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        (await refused.ErrorCodeAsync()).ShouldBe("quota_exhausted");
        (await host.EventsAsync("partner.quota.warning")).Count.ShouldBe(1);
        var exhausted = await host.EventsAsync("partner.quota.exhausted");
        exhausted.Count.ShouldBe(1);
        exhausted[0].GetProperty("data").GetProperty("used").GetInt32().ShouldBe(5);
        exhausted[0].GetProperty("data").GetProperty("limit").GetInt32().ShouldBe(5);
    }

    [Fact]
    public async Task Invalid_configuration_fails_at_start_naming_the_key()
    {
        var exception = await Should.ThrowAsync<Microsoft.Extensions.Options.OptionsValidationException>(
            SandboxTestHost.StartAsync(new Dictionary<string, string?> { ["Sandbox:Partner:WebhookSecret"] = "not-a-secret" }));

        exception.Message.ShouldContain("WebhookSecret");
    }
}
