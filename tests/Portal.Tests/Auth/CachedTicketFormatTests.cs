using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.Auth;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Auth;

public sealed class CachedTicketFormatTests(PortalAppFactory factory) : IClassFixture<PortalAppFactory>
{
    [Fact]
    public void A_cookie_value_is_decrypted_once_and_each_request_gets_its_own_copy()
    {
        var inner = new CountingFormat(Ticket("alice"));
        using var format = new CachedTicketFormat(inner);

        var first = format.Unprotect("cookie-value")!;
        first.Principal.Identities.First().AddClaim(new Claim("added-by", "first request"));
        first.Properties.Items["touched"] = "yes";
        var second = format.Unprotect("cookie-value")!;

        inner.Reads.ShouldBe(1);
        second.ShouldNotBeSameAs(first);
        second.Principal.FindFirst("added-by").ShouldBeNull();
        second.Properties.Items.ShouldNotContainKey("touched");
        second.Principal.Identity!.Name.ShouldBe("alice");
        second.Properties.ExpiresUtc.ShouldBe(first.Properties.ExpiresUtc);
    }

    [Fact]
    public void Other_values_and_purposes_are_read_on_their_own_and_failures_are_not_remembered()
    {
        var inner = new CountingFormat(Ticket("alice"));
        using var format = new CachedTicketFormat(inner);

        format.Unprotect("one");
        format.Unprotect("two");
        format.Unprotect("one", "another purpose");
        inner.Reads.ShouldBe(3);

        inner.Result = null; // e.g. a cookie from an unknown key, or junk
        format.Unprotect("junk").ShouldBeNull();
        format.Unprotect("junk").ShouldBeNull();
        inner.Reads.ShouldBe(5);
    }

    [Fact]
    public async Task The_session_cookie_uses_it_and_a_signed_in_browser_is_still_recognised_on_every_request()
    {
        var options = factory.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>()
            .Get(CookieAuthenticationDefaults.AuthenticationScheme);
        options.TicketDataFormat.ShouldBeOfType<CachedTicketFormat>();

        var client = await factory.SignedInClientAsync("sam", "Sam", "support");
        for (var i = 0; i < 3; i++)
        {
            (await client.GetAsync("/support/attempts")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
    }

    private static AuthenticationTicket Ticket(string name) =>
        new(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, name)], "test")),
            new AuthenticationProperties { ExpiresUtc = DateTimeOffset.UtcNow.AddHours(1) },
            CookieAuthenticationDefaults.AuthenticationScheme);

    private sealed class CountingFormat(AuthenticationTicket? result) : ISecureDataFormat<AuthenticationTicket>
    {
        public AuthenticationTicket? Result { get; set; } = result;

        public int Reads { get; private set; }

        public string Protect(AuthenticationTicket data) => throw new NotSupportedException();

        public string Protect(AuthenticationTicket data, string? purpose) => throw new NotSupportedException();

        public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, null);

        public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
        {
            Reads++;
            return Result is null ? null : new AuthenticationTicket(Result.Principal.Clone(), Result.Properties.Clone(), Result.AuthenticationScheme);
        }
    }
}
