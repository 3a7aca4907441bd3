using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Portal.Auth;

/// <summary>Sign-in and sign-out. Both hand over to the identity provider; the portal has no passwords.</summary>
public static class AuthEndpoints
{
    public const string LoginPath = "/login";
    public const string LogoutPath = "/logout";

    public static IEndpointRouteBuilder MapAuthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(LoginPath, Login).AllowAnonymous();
        endpoints.MapPost(LogoutPath, Logout).AllowAnonymous();
        return endpoints;
    }

    /// <summary>Sends the browser to the provider; it comes back to <paramref name="returnUrl"/> if that is a local path.</summary>
    public static Results<RedirectHttpResult, ChallengeHttpResult> Login(HttpContext http, string? returnUrl)
    {
        var target = ReturnUrls.LocalOrRoot(returnUrl);
        if (http.User.Identity?.IsAuthenticated == true)
        {
            return TypedResults.LocalRedirect(target);
        }

        return TypedResults.Challenge(
            new AuthenticationProperties { RedirectUri = target },
            [OpenIdConnectDefaults.AuthenticationScheme]);
    }

    /// <summary>Ends the portal session and the provider's (RP-initiated logout), then returns to the start page.</summary>
    public static async Task<Results<BadRequest, SignOutHttpResult>> Logout(HttpContext http, IAntiforgery antiforgery)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return TypedResults.BadRequest();
        }

        return TypedResults.SignOut(
            new AuthenticationProperties { RedirectUri = "/" },
            [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme]);
    }
}
