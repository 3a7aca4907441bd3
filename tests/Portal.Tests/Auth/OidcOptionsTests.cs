using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Auth;

/// <summary>How the portal configures the OpenID Connect handler from the <c>Oidc</c> section.</summary>
public sealed class OidcOptionsTests
{
    [Fact]
    public void Handler_uses_code_flow_with_pkce_and_the_provider_claim_names()
    {
        using var factory = new PortalAppFactory();

        var oidc = OidcOptions(factory);

        oidc.Authority.ShouldBe(PortalAppFactory.Authority);
        oidc.ClientId.ShouldBe("portal");
        oidc.ResponseType.ShouldBe("code");
        oidc.UsePkce.ShouldBeTrue();
        oidc.MapInboundClaims.ShouldBeFalse();
        oidc.RequireHttpsMetadata.ShouldBeTrue();
        oidc.TokenValidationParameters.NameClaimType.ShouldBe("name");
        oidc.TokenValidationParameters.RoleClaimType.ShouldBe("role");
    }

    [Fact]
    public void Role_claim_is_configurable_for_providers_that_send_roles()
    {
        using var baseFactory = new PortalAppFactory();
        using var factory = baseFactory.WithWebHostBuilder(builder => builder.UseSetting("Oidc:RoleClaim", "roles"));

        OidcOptions(factory).TokenValidationParameters.RoleClaimType.ShouldBe("roles");
    }

    [Fact]
    public void Plain_http_metadata_is_allowed_only_for_a_provider_on_localhost()
    {
        using var baseFactory = new PortalAppFactory();
        using var factory = baseFactory.WithWebHostBuilder(builder => builder.UseSetting("Oidc:Authority", "http://localhost:5082"));

        OidcOptions(factory).RequireHttpsMetadata.ShouldBeFalse();
    }

    private static OpenIdConnectOptions OidcOptions(WebApplicationFactory<Program> factory) =>
        factory.Services.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(OpenIdConnectDefaults.AuthenticationScheme);
}
