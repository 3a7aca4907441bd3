using Portal.DevMail;

namespace Portal.Hosting;

public static class DevMailHostingExtensions
{
    /// <summary>
    /// Hosts the dev mail catcher (an SMTP server on <c>DevMail:Port</c>, default 5083) when <c>DevMail:Enabled</c> is
    /// true; development points <c>Email:SmtpHost</c> at it. Refused in Production like the other stand-ins.
    /// </summary>
    public static WebApplicationBuilder AddDevMail(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!builder.Configuration.GetValue<bool>("DevMail:Enabled"))
        {
            return builder;
        }

        StandInGuard.EnsureAllowed(builder, "DevMail:Enabled", "dev mail catcher");
        builder.Services.AddSingleton<DevMailbox>();
        builder.Services.AddHostedService<DevMailCatcher>();
        return builder;
    }
}
