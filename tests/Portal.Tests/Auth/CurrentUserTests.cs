using System.Security.Claims;
using Portal.Auth;

namespace Portal.Tests.Auth;

public sealed class CurrentUserTests
{
    [Fact]
    public void Account_id_is_the_subject_claim()
    {
        var alice = User(("sub", "alice"), ("name", "Alice"), ("role", "customer"));

        alice.GetAccountId().ShouldBe("alice");
        alice.GetDisplayName().ShouldBe("Alice");
        alice.IsCustomer().ShouldBeTrue();
        alice.IsStaff().ShouldBeFalse();
    }

    [Fact]
    public void Anonymous_has_no_account_id_even_with_a_stray_sub_claim()
    {
        var anonymous = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "alice")]));

        anonymous.GetAccountId().ShouldBeNull();
        anonymous.IsStaff().ShouldBeFalse();
    }

    [Theory]
    [InlineData("support", true)]
    [InlineData("admin", true)]
    [InlineData("customer", false)]
    public void Staff_means_support_or_admin(string role, bool staff) =>
        User(("sub", "x"), ("role", role)).IsStaff().ShouldBe(staff);

    [Fact]
    public void Roles_follow_the_identity_role_claim_type()
    {
        // Entra ID app roles arrive as "roles" (Oidc:RoleClaim=roles).
        var identity = new ClaimsIdentity([new Claim("sub", "x"), new Claim("roles", "admin")], "oidc", "name", "roles");
        var user = new ClaimsPrincipal(identity);

        user.GetRoles().ShouldBe(["admin"]);
        user.IsStaff().ShouldBeTrue();
    }

    private static ClaimsPrincipal User(params (string Type, string Value)[] claims) =>
        new(new ClaimsIdentity(claims.Select(claim => new Claim(claim.Type, claim.Value)), "oidc", "name", "role"));
}
