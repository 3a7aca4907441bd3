using System.Net;
using System.Net.Sockets;
using Portal.Hosting;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Hosting;

/// <summary>
/// The built portal started as operators start it (<c>dotnet Portal.dll</c>, Production, environment variables) with a
/// configuration it cannot run with: one line per problem naming the key, exit status 78, no stack trace anywhere.
/// </summary>
public sealed class StartupErrorProcessTests : IDisposable
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("portal-startup-");

    public static TheoryData<string, string?, string[]> BadConfigurations => new()
    {
        // key, value (null = unset), the keys the output must name
        { "Gate__SecretKey", null, ["Gate:SecretKey"] },
        { "Gate__SecretKey", "sk_live_portal_process_secret", ["Gate:SecretKey", "Gate:PublishableKey"] },
        { "ConnectionStrings__Portal", "", ["ConnectionStrings:Portal"] },
        { "Sandbox__Enabled", "true", ["Sandbox:Enabled"] },
        { "DevIdentity__Enabled", "maybe", ["DevIdentity:Enabled"] },
        { "ForwardedHeaders__KnownNetworks__0", "10.0.0.0/99", ["ForwardedHeaders:KnownNetworks:0"] },
    };

    [Theory]
    [MemberData(nameof(BadConfigurations))]
    public async Task A_bad_setting_stops_the_portal_with_one_line_naming_the_key(string variable, string? value, string[] named)
    {
        await using var portal = PortalProcess.Start(
            PortalProcess.ProductionSettings(_data.FullName, Wait.FreeLoopbackPort(), new Dictionary<string, string?> { [variable] = value }),
            _data.FullName);

        var exitCode = await portal.WaitForExitAsync(ExitTimeout);

        exitCode.ShouldBe(StartupErrors.ConfigurationErrorExitCode, portal.Output);
        ShouldReportOnlyConfigurationProblems(portal.Output, named);
        portal.Output.ShouldNotContain("sk_live_portal_process_secret"); // keys are named, values never shown
    }

    [Fact]
    public async Task Every_problem_is_reported_at_once()
    {
        await using var portal = PortalProcess.Start(
            PortalProcess.ProductionSettings(_data.FullName, Wait.FreeLoopbackPort(), new Dictionary<string, string?>
            {
                ["Gate__PublishableKey"] = "",
                ["Oidc__Authority"] = "",
                ["Oidc__ClientSecret"] = "",
            }),
            _data.FullName);

        var exitCode = await portal.WaitForExitAsync(ExitTimeout);

        exitCode.ShouldBe(StartupErrors.ConfigurationErrorExitCode, portal.Output);
        ShouldReportOnlyConfigurationProblems(portal.Output, ["Gate:PublishableKey", "Oidc:Authority", "Oidc:ClientSecret"]);
    }

    [Fact]
    public async Task A_port_already_in_use_names_Urls()
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((IPEndPoint)occupant.LocalEndpoint).Port;
        await using var portal = PortalProcess.Start(PortalProcess.ProductionSettings(_data.FullName, port), _data.FullName);

        var exitCode = await portal.WaitForExitAsync(ExitTimeout);

        exitCode.ShouldBe(StartupErrors.ConfigurationErrorExitCode, portal.Output);
        ShouldReportOnlyConfigurationProblems(portal.Output, ["Urls"]);
        portal.Output.ShouldContain($"127.0.0.1:{port}");
    }

    public void Dispose() => _data.Delete(recursive: true);

    private static void ShouldReportOnlyConfigurationProblems(string output, string[] keys)
    {
        var problems = output.Split('\n').Where(line => line.StartsWith(StartupErrors.Prefix, StringComparison.Ordinal)).ToList();
        problems.ShouldNotBeEmpty(output);
        foreach (var key in keys)
        {
            problems.ShouldContain(line => line.Contains(key, StringComparison.Ordinal), output);
        }

        output.ShouldNotContain("Unhandled exception", Case.Sensitive, output);
        output.ShouldNotContain("Hosting failed to start", Case.Sensitive, output);
        output.Split('\n').ShouldNotContain(line => line.TrimStart().StartsWith("at ", StringComparison.Ordinal), output);
    }
}
