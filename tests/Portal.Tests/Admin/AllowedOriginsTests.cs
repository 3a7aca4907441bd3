using Portal.Core.Gate;

namespace Portal.Tests.Admin;

/// <summary>The portal's own allowed-domain rules (0Gate validates again; the portal never relies on that).</summary>
public sealed class AllowedOriginsTests
{
    [Theory]
    [InlineData("https://shop.example.com", "https://shop.example.com")]
    [InlineData("  HTTPS://Shop.Example.COM  ", "https://shop.example.com")]
    [InlineData("https://shop.example.com/", "https://shop.example.com")]
    [InlineData("https://shop.example.com:443", "https://shop.example.com")]
    [InlineData("http://shop.example.com:80", "http://shop.example.com")]
    [InlineData("https://shop.example.com:8443", "https://shop.example.com:8443")]
    [InlineData("http://localhost:5080", "http://localhost:5080")]
    [InlineData("http://127.0.0.1:5080", "http://127.0.0.1:5080")]
    [InlineData("http://[::1]:5080", "http://[::1]:5080")]
    [InlineData("https://bücher.example", "https://xn--bcher-kva.example")]
    public void Good_origins_are_normalized(string input, string expected)
    {
        AllowedOrigins.TryNormalize(input, live: false, out var origin, out var problem).ShouldBeTrue(problem);

        origin.ShouldBe(expected);
        problem.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("", "Enter an origin")]
    [InlineData("   ", "Enter an origin")]
    [InlineData(null, "Enter an origin")]
    [InlineData("https://*.example.com", "wildcard")]
    [InlineData("*", "wildcard")]
    [InlineData("shop.example.com", "needs a scheme")]
    [InlineData("//shop.example.com", "needs a scheme")]
    [InlineData("ftp://shop.example.com", "only http and https")]
    [InlineData("javascript://shop.example.com", "only http and https")]
    [InlineData("https://shop.example.com/checkout", "path, query or fragment")]
    [InlineData("https://shop.example.com/?a=1", "path, query or fragment")]
    [InlineData("https://shop.example.com?a=1", "path, query or fragment")]
    [InlineData("https://shop.example.com#top", "path, query or fragment")]
    [InlineData("https://user:pass@shop.example.com", "user name or password")]
    [InlineData("https://user@shop.example.com", "user name or password")]
    [InlineData("https://", "valid host")]
    [InlineData("https://:443", "valid host")]
    [InlineData("https://shop.example.com:", "empty port")]
    [InlineData("https://shop.example.com:99999", "valid host")]
    [InlineData("https://shop example.com", "spaces or backslashes")]
    [InlineData("https:\\\\shop.example.com", "spaces or backslashes")]
    public void Bad_origins_are_refused_with_a_message(string? input, string expected)
    {
        AllowedOrigins.TryNormalize(input, live: false, out var origin, out var problem).ShouldBeFalse();

        origin.ShouldBeEmpty();
        problem.ShouldContain(expected);
    }

    [Fact]
    public void Live_mode_requires_https_except_for_localhost()
    {
        AllowedOrigins.TryNormalize("http://shop.example.com", live: true, out _, out var problem).ShouldBeFalse();
        problem.ShouldContain("must use https");

        AllowedOrigins.TryNormalize("https://shop.example.com", live: true, out _, out _).ShouldBeTrue();
        AllowedOrigins.TryNormalize("http://localhost:5080", live: true, out _, out _).ShouldBeTrue();
        AllowedOrigins.TryNormalize("http://shop.example.com", live: false, out _, out _).ShouldBeTrue();
    }

    [Fact]
    public void A_list_keeps_order_and_reports_duplicates_after_normalization_by_position()
    {
        var (origins, problems) = AllowedOrigins.NormalizeAll(
            ["https://a.example", "HTTPS://A.example/", "http://localhost:5080", "https://b.example/path"], live: false);

        origins.ShouldBe(["https://a.example", "http://localhost:5080"]);
        problems.Keys.ShouldBe([1, 3], ignoreOrder: true);
        problems[1].ShouldBe("https://a.example is already in the list.");
        problems[3].ShouldContain("path");
    }
}
