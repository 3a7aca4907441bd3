using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.WebUtilities;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Hosting;

/// <summary>
/// <c>X-Forwarded-Proto</c>/<c>-For</c> count only from a known proxy: loopback by default, else exactly
/// <c>ForwardedHeaders:KnownProxies</c> and <c>KnownNetworks</c>. Requests are sent from a chosen remote address.
/// </summary>
public sealed class ForwardedHeadersTests
{
    private const string Client = "198.51.100.23";

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public async Task A_proxy_on_loopback_is_trusted_by_default(string proxy)
    {
        using var factory = new PortalAppFactory();

        var context = await SendThroughProxyAsync(factory, proxy, "/healthz");

        context.Request.IsHttps.ShouldBeTrue();
        context.Connection.RemoteIpAddress.ShouldBe(IPAddress.Parse(Client));
    }

    [Fact]
    public async Task Forwarded_headers_from_an_unknown_address_are_ignored()
    {
        using var factory = new PortalAppFactory();

        var context = await SendThroughProxyAsync(factory, "203.0.113.9", "/login");

        context.Request.IsHttps.ShouldBeFalse();
        context.Connection.RemoteIpAddress.ShouldBe(IPAddress.Parse("203.0.113.9"));
        RedirectUri(context).ShouldBe("http://portal.example/signin-oidc");
    }

    [Fact]
    public async Task Behind_a_known_proxy_sign_in_returns_to_https()
    {
        using var factory = new PortalAppFactory();

        var context = await SendThroughProxyAsync(factory, "127.0.0.1", "/login");

        RedirectUri(context).ShouldBe("https://portal.example/signin-oidc");
    }

    [Theory]
    [InlineData("ForwardedHeaders:KnownProxies:0", "203.0.113.9", "203.0.113.9", true)]
    [InlineData("ForwardedHeaders:KnownNetworks:0", "203.0.113.0/24", "203.0.113.77", true)]
    [InlineData("ForwardedHeaders:KnownProxies:0", "203.0.113.9", "127.0.0.1", false)]
    [InlineData("ForwardedHeaders:KnownNetworks:0", "203.0.113.0/24", "203.0.114.1", false)]
    public async Task Configured_proxies_replace_the_loopback_default(string key, string value, string proxy, bool trusted)
    {
        using var baseFactory = new PortalAppFactory();
        using var factory = baseFactory.WithWebHostBuilder(builder => builder.UseSetting(key, value));

        var context = await SendThroughProxyAsync(factory, proxy, "/healthz");

        context.Request.IsHttps.ShouldBe(trusted);
        context.Connection.RemoteIpAddress.ShouldBe(IPAddress.Parse(trusted ? Client : proxy));
    }

    [Fact]
    public async Task Only_the_proxys_own_entry_counts_not_what_the_client_claims_before_it()
    {
        using var factory = new PortalAppFactory();

        // The client sent "X-Forwarded-For: 10.9.9.9"; nginx appended the address it saw.
        var context = await SendThroughProxyAsync(factory, "127.0.0.1", "/healthz", forwardedFor: $"10.9.9.9, {Client}");

        context.Connection.RemoteIpAddress.ShouldBe(IPAddress.Parse(Client));
    }

    /// <summary>A request as nginx forwards it: plain http from <paramref name="proxy"/>, with the client's scheme and address.</summary>
    private static Task<HttpContext> SendThroughProxyAsync(
        WebApplicationFactory<Program> factory, string proxy, string path, string forwardedFor = Client) =>
        factory.Server.SendAsync(context =>
        {
            context.Request.Method = HttpMethods.Get;
            context.Request.Scheme = "http";
            context.Request.Host = new HostString("portal.example");
            context.Request.Path = path;
            context.Request.Headers["X-Forwarded-Proto"] = "https";
            context.Request.Headers["X-Forwarded-For"] = forwardedFor;
            context.Connection.RemoteIpAddress = IPAddress.Parse(proxy);
        });

    private static string RedirectUri(HttpContext context)
    {
        context.Response.StatusCode.ShouldBe(StatusCodes.Status302Found);
        var location = new Uri(context.Response.Headers.Location.ToString());
        return QueryHelpers.ParseQuery(location.Query)["redirect_uri"].ToString();
    }
}
