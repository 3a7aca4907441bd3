using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace Portal.Auth;

/// <summary>Wraps the session cookie's ticket format (set up by the cookie handler's own post-configuration) in <see cref="CachedTicketFormat"/>.</summary>
internal sealed class CacheCookieTickets : IPostConfigureOptions<CookieAuthenticationOptions>
{
    public void PostConfigure(string? name, CookieAuthenticationOptions options)
    {
        if (name == CookieAuthenticationDefaults.AuthenticationScheme
            && options.TicketDataFormat is { } format and not CachedTicketFormat)
        {
            options.TicketDataFormat = new CachedTicketFormat(format);
        }
    }
}
