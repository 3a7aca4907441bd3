using Microsoft.AspNetCore.Hosting;
using Portal.Core;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Gate;

/// <summary>The sandbox and the dev provider never run in Production, and the sandbox never with live keys.</summary>
public sealed class StandInGuardTests
{
    [Theory]
    [InlineData("Sandbox:Enabled")]
    [InlineData("DevIdentity:Enabled")]
    public void A_stand_in_refuses_to_start_in_production(string key)
    {
        using var baseFactory = new PortalAppFactory();
        using var factory = baseFactory.WithWebHostBuilder(builder => builder.UseEnvironment("Production").UseSetting(key, "true"));

        var error = Should.Throw<InvalidConfigurationException>(() => factory.CreateClient());

        error.Key.ShouldBe(key);
        error.Message.ShouldContain($"{key} is true in Production");
    }

    [Fact]
    public void The_sandbox_refuses_live_keys()
    {
        using var baseFactory = new PortalAppFactory();
        using var factory = baseFactory.WithWebHostBuilder(builder => builder
            .UseSetting("Sandbox:Enabled", "true")
            .UseSetting("Gate:SecretKey", "sk_live_portal_tests")
            .UseSetting("Gate:PublishableKey", "pk_live_portal_tests"));

        var error = Should.Throw<InvalidConfigurationException>(() => factory.CreateClient());

        error.Key.ShouldBe("Sandbox:Enabled");
        error.Message.ShouldContain("the sandbox only takes test keys");
        error.Message.ShouldNotContain("sk_live_portal_tests");
    }
}
