using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Persistence;

namespace Portal.Bench.PortalData;

/// <summary>
/// Signed-in customers without the OpenID round trip: auth cookies minted exactly as the portal's cookie handler
/// writes them (scheme "Cookies", cookie <c>.Portal.Auth</c>), protected with the portal's own Data Protection key
/// ring (application name "Portal", keys in the store's <c>DataProtectionKeys</c> table, read through the portal's own
/// <see cref="PortalDbContext"/>). The one place that knows where the key ring lives.
/// </summary>
public sealed class CustomerCookies : IDisposable
{
    public const string CookieName = ".Portal.Auth";

    // The cookie handler's protector: CookieAuthenticationMiddleware purpose, the scheme name, "v2".
    private static readonly string[] Purposes = ["Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationMiddleware", "Cookies", "v2"];

    private readonly ServiceProvider _services;
    private readonly TicketDataFormat _tickets;

    /// <param name="core">Portal.Core on the running portal's store (which holds a key once the portal served a page).</param>
    public CustomerCookies(PortalCore core)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddScoped<PortalDbContext>(_ => core.CreateDbContext());
        services.AddDataProtection()
            .SetApplicationName("Portal")
            .PersistKeysToDbContext<PortalDbContext>();
        _services = services.BuildServiceProvider();
        var protector = _services.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purposes);
        _tickets = new TicketDataFormat(protector);
    }

    /// <summary>The <c>.Portal.Auth</c> cookie value for a customer whose <c>sub</c> is <paramref name="accountId"/>.</summary>
    public string Mint(string accountId)
    {
        var identity = new ClaimsIdentity(
            [new Claim("sub", accountId), new Claim("name", "Bench " + accountId), new Claim("role", "customer")],
            authenticationType: "bench", nameType: "name", roleType: "role");
        var now = DateTimeOffset.UtcNow;
        var properties = new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now.AddHours(8) };
        return _tickets.Protect(new AuthenticationTicket(new ClaimsPrincipal(identity), properties, "Cookies"));
    }

    /// <summary>The request header carrying that cookie.</summary>
    public static string Header(string cookieValue) => $"{CookieName}={cookieValue}";

    public void Dispose() => _services.Dispose();
}
