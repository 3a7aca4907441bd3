using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Portal.Hosting;

namespace Portal.Tests.Sandbox;

public sealed class SandboxHostingTests
{
    private static Dictionary<string, string?> PortalSettings(string directory) => new()
    {
        ["Urls"] = "http://localhost:5999",
        ["Gate:SecretKey"] = "sk_test_hosting",
        ["Gate:PublishableKey"] = "pk_test_hosting",
        ["Gate:WebhookSecrets:0"] = "whsec_hosting_current",
        ["Gate:WebhookSecrets:1"] = "whsec_hosting_previous",
        ["Sandbox:Enabled"] = "true",
        ["Sandbox:Url"] = "http://127.0.0.1:0",
        ["Sandbox:ConnectionString"] = $"Data Source={Path.Combine(directory, "sandbox.db")};Pooling=False",
        ["Sandbox:Quota:Limit"] = "7",
    };

    [Fact]
    public void Sandbox_partner_is_the_portal_itself()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(PortalSettings("/tmp")).Build();

        var settings = SandboxHostingExtensions.SandboxSettings(configuration);

        settings["Sandbox:Partner:SecretKey"].ShouldBe("sk_test_hosting");
        settings["Sandbox:Partner:PublishableKey"].ShouldBe("pk_test_hosting");
        settings["Sandbox:Partner:WebhookSecret"].ShouldBe("whsec_hosting_current");
        settings["Sandbox:Partner:WebhookUrl"].ShouldBe("http://localhost:5999/webhooks/0gate");
        settings["Sandbox:Partner:AllowedDomains:0"].ShouldBe("http://localhost:5999");
        settings["Sandbox:Quota:Limit"].ShouldBe("7");
        settings.ContainsKey("Sandbox:Enabled").ShouldBeFalse();
    }

    [Fact]
    public void Webhook_url_and_allowed_domains_can_be_overridden()
    {
        var values = PortalSettings("/tmp");
        values["Sandbox:WebhookUrl"] = "http://127.0.0.1:7000/webhooks/0gate";
        values["Sandbox:AllowedDomains:0"] = "https://a.example";
        values["Sandbox:AllowedDomains:1"] = "https://b.example";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();

        var settings = SandboxHostingExtensions.SandboxSettings(configuration);

        settings["Sandbox:Partner:WebhookUrl"].ShouldBe("http://127.0.0.1:7000/webhooks/0gate");
        settings["Sandbox:Partner:AllowedDomains:0"].ShouldBe("https://a.example");
        settings["Sandbox:Partner:AllowedDomains:1"].ShouldBe("https://b.example");
    }

    [Theory]
    [InlineData(null, "http://localhost:5080")]
    [InlineData("http://localhost:5080", "http://localhost:5080")]
    [InlineData("http://+:8080;https://+:8443", "http://localhost:8080")]
    [InlineData("http://0.0.0.0:5000", "http://localhost:5000")]
    public void Portal_origin_is_the_first_url(string? urls, string expected) =>
        SandboxHostingExtensions.PortalOrigin(urls).ShouldBe(expected);

    [Fact]
    public async Task Enabled_sandbox_starts_with_the_portal_host_and_answers_to_the_portal_keys()
    {
        var directory = Directory.CreateTempSubdirectory("gate-sandbox-hosting").FullName;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        var settings = PortalSettings(directory);
        settings["Urls"] = "http://127.0.0.1:0";
        settings["Sandbox:WebhookUrl"] = "http://127.0.0.1:7000/webhooks/0gate";
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddGateSandbox();
        await using var app = builder.Build();

        await app.StartAsync();
        try
        {
            var sandbox = app.Services.GetRequiredService<GateSandboxHost>();
            sandbox.BaseAddress.ShouldNotBeNull();
            using var client = new HttpClient { BaseAddress = sandbox.BaseAddress };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "sk_test_hosting");

            using var partner = await client.GetAsync("/v1/partner");

            var json = await SandboxTestHost.ReadJsonAsync(partner);
            json.Str("webhook_url").ShouldBe("http://127.0.0.1:7000/webhooks/0gate");
            json.GetProperty("quota").GetProperty("limit").GetInt32().ShouldBe(7);
        }
        finally
        {
            await app.StopAsync();
        }
    }

    [Fact]
    public void Disabled_sandbox_is_not_registered()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Sandbox:Enabled"] = "false" });

        builder.AddGateSandbox();

        builder.Services.ShouldNotContain(d => d.ServiceType == typeof(GateSandboxHost));
    }
}
