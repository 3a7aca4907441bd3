using Microsoft.AspNetCore.Hosting;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Auth;

public sealed class StartupValidationTests
{
    [Theory]
    [InlineData("Oidc:ClientSecret", "")]
    [InlineData("Oidc:Authority", "")]
    [InlineData("Oidc:ClientId", "")]
    [InlineData("Oidc:Authority", "http://identity.example.com")]
    [InlineData("ForwardedHeaders:KnownProxies:0", "proxy.example")]
    [InlineData("ForwardedHeaders:KnownNetworks:0", "10.0.0.0/99")]
    [InlineData("Gate:SignatureToleranceSeconds", "0")]
    public void Invalid_settings_stop_start_up_naming_the_key(string key, string value)
    {
        using var baseFactory = new PortalAppFactory();
        using var factory = baseFactory.WithWebHostBuilder(builder => builder.UseSetting(key, value));

        var error = Should.Throw<Exception>(() => factory.CreateClient());

        Messages(error).ShouldContain(key);
    }

    private static string Messages(Exception error) =>
        error is AggregateException aggregate
            ? string.Join(" | ", aggregate.InnerExceptions.Select(Messages))
            : error.Message + (error.InnerException is null ? "" : " | " + Messages(error.InnerException));
}
