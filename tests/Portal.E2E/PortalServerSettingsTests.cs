namespace Portal.E2E;

/// <summary>The fixture's configuration must describe one consistent system; these checks need no browser or host.</summary>
public sealed class PortalServerSettingsTests
{
    [Fact]
    public async Task Stand_ins_and_portal_point_at_each_other_on_the_E2E_ports()
    {
        var options = new PortalServerOptions { PortalPort = 6180, SandboxPort = 6181, IdentityPort = 6182 };
        await using var server = new PortalServer(options);

        var settings = server.Settings;

        server.BaseUrl.ShouldBe("http://127.0.0.1:6180");
        settings["Urls"].ShouldBe(server.BaseUrl);
        settings["Sandbox:Enabled"].ShouldBe("true");
        settings["DevIdentity:Enabled"].ShouldBe("true");
        settings["Sandbox:Url"].ShouldBe("http://127.0.0.1:6181");
        settings["Gate:ApiBaseUrl"].ShouldBe(settings["Sandbox:Url"]);
        settings["Gate:HostedBaseUrl"].ShouldBe(settings["Sandbox:Url"]);
        settings["Sandbox:WebhookUrl"].ShouldBe("http://127.0.0.1:6180/webhooks/0gate");
        settings["Sandbox:AllowedDomains:0"].ShouldBe(server.BaseUrl);
        settings["DevIdentity:Url"].ShouldBe("http://127.0.0.1:6182");
        settings["Oidc:Authority"].ShouldBe(settings["DevIdentity:Url"]);
    }

    [Fact]
    public async Task Each_server_gets_its_own_database_and_callers_choose_the_stand_ins()
    {
        await using var first = new PortalServer(new PortalServerOptions { HostSandbox = false });
        await using var second = new PortalServer(new PortalServerOptions
        {
            HostDevIdentity = false,
            Settings = new Dictionary<string, string?> { ["Gate:SignatureToleranceSeconds"] = "5" },
        });

        first.DatabasePath.ShouldNotBe(second.DatabasePath);
        Path.GetDirectoryName(first.DatabasePath).ShouldStartWith(Path.GetTempPath().TrimEnd('/'));
        first.Settings["ConnectionStrings:Portal"].ShouldBe($"Data Source={first.DatabasePath}");

        first.Settings["Sandbox:Enabled"].ShouldBe("false");
        first.Settings["DevIdentity:Enabled"].ShouldBe("true");
        second.Settings["Sandbox:Enabled"].ShouldBe("true");
        second.Settings["DevIdentity:Enabled"].ShouldBe("false");
        second.Settings["Gate:SignatureToleranceSeconds"].ShouldBe("5");
    }
}
