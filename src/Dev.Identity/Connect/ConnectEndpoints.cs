using System.Security.Claims;
using Dev.Identity.Account;
using Dev.Identity.Users;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Dev.Identity.Connect;

/// <summary>
/// The protocol endpoints OpenIddict passes through to the application: it validates each request
/// (client, redirect URI, PKCE) first, and these handlers decide who the user is.
/// </summary>
internal static class ConnectEndpoints
{
    public const string AuthorizationPath = "/connect/authorize";
    public const string TokenPath = "/connect/token";
    public const string UserInfoPath = "/connect/userinfo";
    public const string EndSessionPath = "/connect/endsession";

    private const string ServerScheme = OpenIddictServerAspNetCoreDefaults.AuthenticationScheme;

    public static IEndpointRouteBuilder MapConnectEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // Cast to Delegate so the returned IResult is executed (a bare HttpContext handler would bind as a RequestDelegate).
        endpoints.MapMethods(AuthorizationPath, [HttpMethods.Get, HttpMethods.Post], (Delegate)Authorize);
        endpoints.MapPost(TokenPath, (Delegate)Exchange);
        endpoints.MapMethods(UserInfoPath, [HttpMethods.Get, HttpMethods.Post], (Delegate)UserInfo);
        endpoints.MapMethods(EndSessionPath, [HttpMethods.Get, HttpMethods.Post], (Delegate)EndSession);
        return endpoints;
    }

    private static async Task<IResult> Authorize(HttpContext http)
    {
        var request = http.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenID Connect request cannot be retrieved.");

        var session = await http.AuthenticateAsync(DevIdentityApp.SessionScheme);
        var user = session.Succeeded ? DevUsers.FindBySubject(session.Principal.FindFirstValue(Claims.Subject)) : null;
        if (user is null)
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Error(Errors.LoginRequired, "The user is not signed in.");
            }

            // Come back to this very request once signed in; the parameters are carried as a query string.
            var parameters = request.GetParameters()
                .Select(parameter => KeyValuePair.Create(parameter.Key, (string?)parameter.Value));
            var returnUrl = AuthorizationPath + QueryString.Create(parameters);
            return Results.Redirect($"{AccountEndpoints.LoginPath}?returnUrl={Uri.EscapeDataString(returnUrl)}");
        }

        var principal = CreatePrincipal(user, request.GetScopes());
        return Results.SignIn(principal, properties: null, ServerScheme);
    }

    private static async Task<IResult> Exchange(HttpContext http)
    {
        var request = http.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenID Connect request cannot be retrieved.");
        if (!request.IsAuthorizationCodeGrantType())
        {
            return Error(Errors.UnsupportedGrantType, "Only the authorization code flow is supported.");
        }

        // OpenIddict has already validated the code, the client and the PKCE verifier.
        var code = await http.AuthenticateAsync(ServerScheme);
        var user = DevUsers.FindBySubject(code.Principal?.GetClaim(Claims.Subject));
        if (user is null)
        {
            return Error(Errors.InvalidGrant, "The user no longer exists.");
        }

        var principal = CreatePrincipal(user, code.Principal!.GetScopes());
        return Results.SignIn(principal, properties: null, ServerScheme);
    }

    private static async Task<IResult> UserInfo(HttpContext http)
    {
        var token = await http.AuthenticateAsync(ServerScheme);
        var user = DevUsers.FindBySubject(token.Principal?.GetClaim(Claims.Subject));
        if (user is null)
        {
            return Results.Challenge(
                new AuthenticationProperties(new Dictionary<string, string?>
                {
                    [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.InvalidToken,
                    [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "The user no longer exists.",
                }),
                [ServerScheme]);
        }

        return Results.Ok(new Dictionary<string, object>
        {
            [Claims.Subject] = user.Subject,
            [Claims.Name] = user.DisplayName,
            [Claims.PreferredUsername] = user.UserName,
            [Claims.Role] = user.Role,
            [Claims.Email] = user.Email,
        });
    }

    private static async Task<IResult> EndSession(HttpContext http)
    {
        await http.SignOutAsync(DevIdentityApp.SessionScheme);

        // OpenIddict redirects to the validated post_logout_redirect_uri, or here when none was given.
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [ServerScheme]);
    }

    private static ClaimsPrincipal CreatePrincipal(DevUser user, IEnumerable<string> scopes)
    {
        var identity = new ClaimsIdentity(ServerScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.Subject)
            .SetClaim(Claims.Name, user.DisplayName)
            .SetClaim(Claims.PreferredUsername, user.UserName)
            .SetClaim(Claims.Role, user.Role);
        identity.SetScopes(scopes);
        if (identity.HasScope(Scopes.Email))
        {
            identity.SetClaim(Claims.Email, user.Email);
        }

        // The portal authorizes by role, so name and role go into the identity token as well as the access token.
        identity.SetDestinations(static claim => claim.Type is Claims.Name or Claims.PreferredUsername or Claims.Role or Claims.Email
            ? [Destinations.AccessToken, Destinations.IdentityToken]
            : [Destinations.AccessToken]);
        return new ClaimsPrincipal(identity);
    }

    private static IResult Error(string error, string description) =>
        Results.Forbid(
            new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
            }),
            [ServerScheme]);
}
