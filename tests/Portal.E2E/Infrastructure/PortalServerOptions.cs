using System.Globalization;

namespace Portal.E2E.Infrastructure;

/// <summary>
/// How a <see cref="PortalServer"/> is started. The ports are fixed (not 0) because the portal, the 0Gate sandbox and
/// the dev OpenID provider must know each other's URLs before anything starts; they default to 5180-5182 so a
/// developer's own instance on 5080-5082 keeps running, and each can be moved with an environment variable.
/// </summary>
public sealed record PortalServerOptions
{
    public const string PortalPortVariable = "PORTAL_E2E_PORT";
    public const string SandboxPortVariable = "PORTAL_E2E_SANDBOX_PORT";
    public const string IdentityPortVariable = "PORTAL_E2E_IDENTITY_PORT";
    public const string MailPortVariable = "PORTAL_E2E_MAIL_PORT";

    public int PortalPort { get; init; } = ReadPort(PortalPortVariable, 5180);
    public int SandboxPort { get; init; } = ReadPort(SandboxPortVariable, 5181);
    public int IdentityPort { get; init; } = ReadPort(IdentityPortVariable, 5182);

    /// <summary>The dev mail catcher's SMTP port (<c>DevMail:Port</c>), where the outcome emails go.</summary>
    public int MailPort { get; init; } = ReadPort(MailPortVariable, 5183);

    /// <summary>Host the 0Gate sandbox inside the portal process (<c>Sandbox:Enabled</c>).</summary>
    public bool HostSandbox { get; init; } = true;

    /// <summary>Host the dev OpenID provider inside the portal process (<c>DevIdentity:Enabled</c>).</summary>
    public bool HostDevIdentity { get; init; } = true;

    /// <summary>Further configuration overrides, applied last (e.g. <c>["Gate:SignatureToleranceSeconds"] = "5"</c>).</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>Only loopback: the browser and the stand-ins talk to the portal on 127.0.0.1, the address Kestrel binds.</summary>
    public string PortalUrl => LoopbackUrl(PortalPort);

    public string SandboxUrl => LoopbackUrl(SandboxPort);

    public string IdentityUrl => LoopbackUrl(IdentityPort);

    private static string LoopbackUrl(int port) => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");

    private static int ReadPort(string variable, int fallback)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
            ? port
            : throw new InvalidOperationException($"{variable}='{value}' is not a TCP port (1-65535).");
    }
}
