using System.Net;
using Portal.Hosting;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Hosting;

/// <summary>Security headers on every kind of response, in Production (behind the TLS proxy) and in Development.</summary>
public sealed class SecurityHeadersTests
{
    /// <summary>Where the test factories put 0Gate: the only origin that may be framed and get payment and camera.</summary>
    private const string HostedOrigin = "http://127.0.0.1:9";

    /// <summary>A page, the re-executed not-found page, an endpoint, a static file, the sign-in redirect.</summary>
    public static TheoryData<string> Paths => ["/", "/no-such-page", "/healthz", "/app.css", "/login"];

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Production_responses_carry_hsts_and_the_security_headers(string path)
    {
        using var factory = new ProductionPortalFactory();
        var client = factory.CreateBrowserlessClient();

        using var response = await client.GetAsync(path);

        ShouldCarrySecurityHeaders(response);
        Header(response, "Strict-Transport-Security").ShouldBe($"max-age={(int)SecurityHeadersHostingExtensions.HstsMaxAge.TotalSeconds}");
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Development_responses_carry_the_security_headers_but_no_hsts(string path)
    {
        using var factory = new PortalAppFactory();
        var client = factory.CreateBrowserlessClient();

        using var response = await client.GetAsync(path);

        ShouldCarrySecurityHeaders(response);
        response.Headers.Contains("Strict-Transport-Security").ShouldBeFalse();
    }

    [Fact]
    public async Task Hsts_is_a_year_without_subdomains_and_only_over_https()
    {
        using var factory = new ProductionPortalFactory();

        using var https = await factory.CreateBrowserlessClient().GetAsync("/");
        using var http = await factory.CreateBrowserlessClient().GetAsync(new Uri("http://portal.example/"));

        Header(https, "Strict-Transport-Security").ShouldBe("max-age=31536000");
        http.Headers.Contains("Strict-Transport-Security").ShouldBeFalse();
    }

    private static void ShouldCarrySecurityHeaders(HttpResponseMessage response)
    {
        var policies = response.Headers.GetValues("Content-Security-Policy").ToList();
        var portalPolicy = policies.Single(policy => policy.Contains("object-src", StringComparison.Ordinal));
        var directives = portalPolicy.Split(';', StringSplitOptions.TrimEntries);
        directives.ShouldContain("object-src 'none'");
        directives.ShouldContain("base-uri 'self'");
        directives.ShouldContain($"frame-src {HostedOrigin}");
        directives.ShouldContain("frame-ancestors 'self'");

        Header(response, "Referrer-Policy").ShouldBe("strict-origin-when-cross-origin");
        Header(response, "X-Content-Type-Options").ShouldBe("nosniff");

        var permissions = Header(response, "Permissions-Policy").Split(',', StringSplitOptions.TrimEntries);
        permissions.ShouldContain($"payment=(self \"{HostedOrigin}\")");
        permissions.ShouldContain($"camera=(self \"{HostedOrigin}\")");
        foreach (var unused in new[] { "microphone", "geolocation", "usb", "serial", "hid", "midi" })
        {
            permissions.ShouldContain($"{unused}=()");
        }
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values)
        : response.Content.Headers.TryGetValues(name, out var contentValues) ? string.Join(", ", contentValues)
        : throw new ShouldAssertException($"No {name} header on {(int)response.StatusCode} {response.RequestMessage?.RequestUri}.");
}
