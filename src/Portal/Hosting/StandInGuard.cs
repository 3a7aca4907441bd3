using Portal.Core;

namespace Portal.Hosting;

/// <summary>
/// The sandbox and the development OpenID provider are stand-ins for development and tests. They refuse
/// to start in Production, and the sandbox never starts with live 0Gate keys.
/// </summary>
internal static class StandInGuard
{
    public static void EnsureAllowed(WebApplicationBuilder builder, string enabledKey, string what)
    {
        if (builder.Environment.IsProduction())
        {
            throw new InvalidConfigurationException(
                enabledKey,
                $"{enabledKey} is true in Production: the {what} is for development and tests only. Set {enabledKey}=false and point the portal at the real service.");
        }

        if (enabledKey == "Sandbox:Enabled"
            && builder.Configuration["Gate:SecretKey"]?.StartsWith("sk_live_", StringComparison.Ordinal) == true)
        {
            throw new InvalidConfigurationException("Sandbox:Enabled", "Sandbox:Enabled is true but Gate:SecretKey is a live key: the sandbox only takes test keys.");
        }
    }
}
