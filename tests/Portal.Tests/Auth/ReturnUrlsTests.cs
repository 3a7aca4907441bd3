using Portal.Auth;

namespace Portal.Tests.Auth;

public sealed class ReturnUrlsTests
{
    [Theory]
    [InlineData("/", "/")]
    [InlineData("/support/attempts", "/support/attempts")]
    [InlineData("/checkout/att_1/status?x=1", "/checkout/att_1/status?x=1")]
    [InlineData(null, "/")]
    [InlineData("", "/")]
    [InlineData("https://evil.example", "/")]
    [InlineData("//evil.example", "/")]
    [InlineData("/\\evil.example", "/")]
    [InlineData("\\\\evil.example", "/")]
    [InlineData("javascript:alert(1)", "/")]
    [InlineData("support", "/")]
    [InlineData("/a\r\nLocation: https://evil.example", "/")]
    public void Only_local_paths_are_kept(string? returnUrl, string expected) =>
        ReturnUrls.LocalOrRoot(returnUrl).ShouldBe(expected);

    [Fact]
    public void Login_url_escapes_the_return_path() =>
        ReturnUrls.LoginUrl("/admin/allowed-domains?q=a b").ShouldBe("/login?returnUrl=%2Fadmin%2Fallowed-domains%3Fq%3Da%20b");
}
