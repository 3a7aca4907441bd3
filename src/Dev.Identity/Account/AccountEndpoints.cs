using System.Security.Claims;
using Dev.Identity.Users;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Dev.Identity.Account;

/// <summary>The provider's own sign-in session: a login form and the cookie it issues.</summary>
internal static class AccountEndpoints
{
    public const string LoginPath = "/account/login";

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(LoginPath, ShowLogin);
        endpoints.MapPost(LoginPath, SubmitLogin);
        return endpoints;
    }

    private static ContentHttpResult ShowLogin(HttpContext http, IAntiforgery antiforgery, string? returnUrl) =>
        LoginHtml(http, antiforgery, LocalOrRoot(returnUrl), userName: null, error: null);

    private static async Task<Results<RedirectHttpResult, ContentHttpResult>> SubmitLogin(
        HttpContext http,
        IAntiforgery antiforgery,
        [FromForm] string? username,
        [FromForm] string? password,
        [FromForm] string? returnUrl)
    {
        var target = LocalOrRoot(returnUrl);
        var user = DevUsers.Verify(username, password);
        if (user is null)
        {
            return LoginHtml(http, antiforgery, target, username, LoginPage.WrongCredentialsMessage);
        }

        var identity = new ClaimsIdentity(DevIdentityApp.SessionScheme, Claims.Name, Claims.Role);
        identity.AddClaim(new Claim(Claims.Subject, user.Subject));
        identity.AddClaim(new Claim(Claims.Name, user.DisplayName));
        await http.SignInAsync(DevIdentityApp.SessionScheme, new ClaimsPrincipal(identity));
        return TypedResults.LocalRedirect(target);
    }

    private static ContentHttpResult LoginHtml(HttpContext http, IAntiforgery antiforgery, string returnUrl, string? userName, string? error)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Content(LoginPage.Render(tokens, returnUrl, userName, error), "text/html; charset=utf-8");
    }

    /// <summary>Only same-site paths: a single leading slash, never <c>//host</c> or <c>/\host</c>.</summary>
    private static string LocalOrRoot(string? returnUrl) =>
        returnUrl is ['/', not ('/' or '\\'), ..] or ['/'] ? returnUrl : "/";
}
