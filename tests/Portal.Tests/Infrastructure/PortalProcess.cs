namespace Portal.Tests.Infrastructure;

/// <summary>
/// The built portal as a real process (<c>dotnet Portal.dll</c>) in Production, configured only through environment
/// variables, the way it is deployed: no stand-ins, test 0Gate keys on an unreachable 0Gate, a throwaway data folder.
/// </summary>
internal static class PortalProcess
{
    /// <summary>Settings a valid Production start needs, as environment variables; <paramref name="overrides"/> win (null removes one).</summary>
    public static Dictionary<string, string?> ProductionSettings(string dataDirectory, int port, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Urls"] = $"http://127.0.0.1:{port}",
            ["ConnectionStrings__Portal"] = $"Data Source={Path.Combine(dataDirectory, "portal.db")}",
            ["Gate__ApiBaseUrl"] = "http://127.0.0.1:9",
            ["Gate__HostedBaseUrl"] = "http://127.0.0.1:9",
            ["Gate__SecretKey"] = "sk_test_portal_process",
            ["Gate__PublishableKey"] = "pk_test_portal_process",
            ["Gate__WebhookSecrets__0"] = PortalAppFactory.WebhookSecret,
            ["Oidc__Authority"] = "https://identity.test",
            ["Oidc__ClientId"] = "portal",
            ["Oidc__ClientSecret"] = "portal-process-secret",
            ["Sandbox__Enabled"] = "false",
            ["DevIdentity__Enabled"] = "false",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                settings.Remove(key);
            }
            else
            {
                settings[key] = value;
            }
        }

        return settings;
    }

    public static ChildProcess Start(IReadOnlyDictionary<string, string?> environment, string workingDirectory) =>
        ChildProcess.Start("portal", BuiltPrograms.DotnetHost, [BuiltPrograms.PortalDll], environment, workingDirectory);

    /// <summary>Starts the portal and waits until <c>/readyz</c> answers 200 (failing with its output if it exits first).</summary>
    public static async Task<ChildProcess> StartReadyAsync(IReadOnlyDictionary<string, string?> environment, string workingDirectory, TimeSpan? timeout = null)
    {
        var portal = Start(environment, workingDirectory);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await Wait.UntilHealthyAsync(client, BaseAddress(environment) + "readyz", portal, timeout ?? TimeSpan.FromSeconds(60));
        return portal;
    }

    /// <summary>The first of the settings' <c>Urls</c>, with a trailing slash.</summary>
    public static Uri BaseAddress(IReadOnlyDictionary<string, string?> environment) => new(environment["Urls"]!.Split(';')[0].TrimEnd('/') + "/");
}
