using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Portal.Auth;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Auth;

/// <summary>The registered policies, evaluated by the real host's authorization service.</summary>
public sealed class PolicyTests(PortalAppFactory factory) : IClassFixture<PortalAppFactory>
{
    [Theory]
    [InlineData(PortalPolicies.Customer, "customer", true)]
    [InlineData(PortalPolicies.Customer, "support", false)]
    [InlineData(PortalPolicies.Customer, "admin", false)]
    [InlineData(PortalPolicies.Support, "customer", false)]
    [InlineData(PortalPolicies.Support, "support", true)]
    [InlineData(PortalPolicies.Support, "admin", true)]
    [InlineData(PortalPolicies.Admin, "customer", false)]
    [InlineData(PortalPolicies.Admin, "support", false)]
    [InlineData(PortalPolicies.Admin, "admin", true)]
    public async Task Policy_admits_exactly_its_roles(string policy, string role, bool allowed)
    {
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "u"), new Claim("role", role)], "oidc", "name", "role"));

        var result = await Authorization.AuthorizeAsync(user, policy);

        result.Succeeded.ShouldBe(allowed);
    }

    [Theory]
    [InlineData(PortalPolicies.Customer)]
    [InlineData(PortalPolicies.Support)]
    [InlineData(PortalPolicies.Admin)]
    public async Task Anonymous_satisfies_no_policy(string policy)
    {
        var result = await Authorization.AuthorizeAsync(new ClaimsPrincipal(new ClaimsIdentity()), policy);

        result.Succeeded.ShouldBeFalse();
    }

    private IAuthorizationService Authorization => factory.Services.GetRequiredService<IAuthorizationService>();
}
