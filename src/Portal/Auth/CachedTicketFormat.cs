using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Caching.Memory;

namespace Portal.Auth;

/// <summary>
/// The session cookie's ticket format, remembering each cookie value it has decrypted for a minute. Every request of a
/// signed-in browser (a 3 s status poll, each page) carries the same cookie, and Data Protection derives a key and
/// decrypts it afresh each time: about half of the status endpoint's time. A remembered ticket is handed out as a
/// copy, so nothing a request does to its principal reaches another; the cookie handler still checks its expiry on
/// every request. Only successful reads are remembered (junk cookies cost a decryption, as before), and a key revoked
/// in the key ring stops being accepted within <see cref="Lifetime"/>.
/// </summary>
public sealed class CachedTicketFormat(ISecureDataFormat<AuthenticationTicket> inner) : ISecureDataFormat<AuthenticationTicket>, IDisposable
{
    /// <summary>How long a decrypted cookie is remembered.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    /// <summary>At most this many cookie values are remembered (one per signed-in browser active in the last minute).</summary>
    public const int Capacity = 20_000;

    private readonly MemoryCache _tickets = new(new MemoryCacheOptions { SizeLimit = Capacity });

    public string Protect(AuthenticationTicket data) => inner.Protect(data);

    public string Protect(AuthenticationTicket data, string? purpose) => inner.Protect(data, purpose);

    public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, purpose: null);

    public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
    {
        if (string.IsNullOrEmpty(protectedText))
        {
            return inner.Unprotect(protectedText, purpose);
        }

        var key = (protectedText, purpose);
        if (_tickets.TryGetValue(key, out AuthenticationTicket? remembered) && remembered is not null)
        {
            return Copy(remembered);
        }

        var ticket = inner.Unprotect(protectedText, purpose);
        if (ticket is not null)
        {
            _tickets.Set(key, Copy(ticket), new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = Lifetime, Size = 1 });
        }

        return ticket;
    }

    // ClaimsPrincipal.Clone shares its identities; each identity is cloned (with its claims) instead.
    private static AuthenticationTicket Copy(AuthenticationTicket ticket) =>
        new(new ClaimsPrincipal(ticket.Principal.Identities.Select(identity => identity.Clone())), ticket.Properties.Clone(), ticket.AuthenticationScheme);

    public void Dispose() => _tickets.Dispose();
}
