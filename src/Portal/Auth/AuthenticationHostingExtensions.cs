using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Portal.Core.Persistence;

namespace Portal.Auth;

public static class AuthenticationHostingExtensions
{
    /// <summary>The session cookie when <c>Cookies:Secure</c> is false (Development on plain http).</summary>
    public const string AuthCookieName = ".Portal.Auth";

    /// <summary>The session cookie when <c>Cookies:Secure</c> is true (the default outside Development).</summary>
    public const string SecureAuthCookieName = "__Host-Portal.Auth";

    /// <summary>Prefixes of the OpenID Connect handler's correlation and nonce cookies, and the antiforgery cookie, when secure.</summary>
    public const string SecureCorrelationCookiePrefix = "__Host-Portal.Correlation.";
    public const string SecureNonceCookiePrefix = "__Host-Portal.Nonce.";
    public const string SecureAntiforgeryCookieName = "__Host-Portal.Antiforgery";

    public const string AccessDeniedPath = "/access-denied";

    /// <summary>
    /// Cookie sessions established through OpenID Connect (authorization code + PKCE), role policies,
    /// and the Data Protection key ring in the store, so sessions survive restarts and work on every instance.
    /// </summary>
    public static WebApplicationBuilder AddPortalAuthentication(this WebApplicationBuilder builder)
    {
        var services = builder.Services;

        services.AddOptions<OidcSettings>()
            .BindConfiguration(OidcSettings.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<CookieSettings>()
            .Configure<IHostEnvironment>((cookies, environment) => cookies.Secure = !environment.IsDevelopment())
            .BindConfiguration(CookieSettings.SectionName);
        // The key ring lives in the store, so every instance shares it: a cookie minted on one is read by all, and
        // sessions survive restarts and redeploys.
        services.AddDataProtection()
            .SetApplicationName("Portal")
            .PersistKeysToDbContext<PortalDbContext>();

        // Unauthenticated requests go to /login (which challenges the provider), forbidden ones to the 403 page.
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(cookie =>
            {
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.LoginPath = AuthEndpoints.LoginPath;
                cookie.AccessDeniedPath = AccessDeniedPath;
                cookie.ReturnUrlParameter = "returnUrl";
                cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
                cookie.SlidingExpiration = true;

                // The JSON API is not browsed: it answers 401 and 403 (as problem details) instead of redirecting.
                // Everything else keeps the cookie handler's own behaviour: a redirect for pages, 401/403 for endpoints
                // it knows are not browsed (minimal-API endpoints such as the CSV exports, AJAX requests).
                var defaults = new CookieAuthenticationEvents();
                cookie.Events.OnRedirectToLogin = context => ApiStatusOr(context, StatusCodes.Status401Unauthorized, defaults.OnRedirectToLogin);
                cookie.Events.OnRedirectToAccessDenied = context => ApiStatusOr(context, StatusCodes.Status403Forbidden, defaults.OnRedirectToAccessDenied);
            })
            .AddOpenIdConnect();
        // After the cookie handler's own post-configuration, which creates the ticket format this wraps.
        services.AddSingleton<IPostConfigureOptions<CookieAuthenticationOptions>, CacheCookieTickets>();

        services.AddOptions<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme)
            .Configure<IOptions<OidcSettings>, IOptions<CookieSettings>>((oidc, settings, cookies) =>
            {
                ConfigureOpenIdConnect(oidc, settings.Value);
                ConfigureHandshakeCookies(oidc, cookies.Value.Secure);
            });
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IOptions<CookieSettings>>((cookie, cookies) => ConfigureSessionCookie(cookie.Cookie, cookies.Value.Secure));
        services.AddOptions<AntiforgeryOptions>()
            .Configure<IOptions<CookieSettings>>((antiforgery, cookies) => ConfigureAntiforgeryCookie(antiforgery.Cookie, cookies.Value.Secure));

        services.AddAuthorizationBuilder()
            .AddPolicy(PortalPolicies.Customer, policy => policy.RequireRole(PortalRoles.Customer))
            .AddPolicy(PortalPolicies.Support, policy => policy.RequireRole(PortalRoles.Support, PortalRoles.Admin))
            .AddPolicy(PortalPolicies.Admin, policy => policy.RequireRole(PortalRoles.Admin));
        services.AddCascadingAuthenticationState();

        return builder;
    }

    private static Task ApiStatusOr(
        Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context,
        int status,
        Func<Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions>, Task> otherwise)
    {
        if (!ApiRequests.Is(context.HttpContext))
        {
            return otherwise(context);
        }

        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }

    /// <summary>Authentication then authorization; must run before antiforgery and the component endpoints.</summary>
    public static WebApplication UsePortalAuthentication(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    private static void ConfigureOpenIdConnect(OpenIdConnectOptions oidc, OidcSettings settings)
    {
        oidc.SignInScheme = CookieAuthenticationDefaults.AuthenticationScheme;
        oidc.Authority = settings.Authority;
        oidc.ClientId = settings.ClientId;
        oidc.ClientSecret = settings.ClientSecret;
        oidc.RequireHttpsMetadata = !settings.IsLoopbackHttp;

        oidc.ResponseType = OpenIdConnectResponseType.Code;
        oidc.ResponseMode = OpenIdConnectResponseMode.Query;
        oidc.UsePkce = true;
        oidc.Scope.Clear();
        oidc.Scope.Add(OpenIdConnectScope.OpenId);
        oidc.Scope.Add("profile");
        oidc.Scope.Add("email"); // the address outcome emails go to (no claim, no email)

        // Keep the provider's claim names (sub, name, role) instead of the legacy WS-* URIs.
        oidc.MapInboundClaims = false;
        oidc.TokenValidationParameters.NameClaimType = CurrentUser.NameClaim;
        oidc.TokenValidationParameters.RoleClaimType = settings.RoleClaim;
        oidc.GetClaimsFromUserInfoEndpoint = false;

        // The id token is kept (encrypted, in the auth cookie) only to send id_token_hint when signing out.
        oidc.SaveTokens = true;
    }

    /// <summary>
    /// <c>__Host-</c> makes the browser itself refuse the cookie unless it is Secure, has Path=/ and no Domain, so no
    /// sibling host or plain-http page can plant or overwrite it.
    /// </summary>
    private static void ConfigureSessionCookie(CookieBuilder cookie, bool secure)
    {
        cookie.Name = secure ? SecureAuthCookieName : AuthCookieName;
        cookie.SecurePolicy = secure ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        cookie.Path = "/";
        cookie.Domain = null;
    }

    /// <summary>The correlation and nonce cookies that carry the sign-in from the challenge to /signin-oidc.</summary>
    private static void ConfigureHandshakeCookies(OpenIdConnectOptions oidc, bool secure)
    {
        // The provider answers with a top-level GET redirect, which Lax cookies accompany, also over http://localhost.
        oidc.CorrelationCookie.SameSite = SameSiteMode.Lax;
        oidc.NonceCookie.SameSite = SameSiteMode.Lax;
        if (secure)
        {
            // __Host- needs Path=/ (the handler's default path is the callback path).
            oidc.CorrelationCookie.Name = SecureCorrelationCookiePrefix;
            oidc.CorrelationCookie.SecurePolicy = CookieSecurePolicy.Always;
            oidc.CorrelationCookie.Path = "/";
            oidc.NonceCookie.Name = SecureNonceCookiePrefix;
            oidc.NonceCookie.SecurePolicy = CookieSecurePolicy.Always;
            oidc.NonceCookie.Path = "/";
        }
        else
        {
            oidc.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            oidc.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        }
    }

    private static void ConfigureAntiforgeryCookie(CookieBuilder cookie, bool secure)
    {
        if (secure)
        {
            cookie.Name = SecureAntiforgeryCookieName;
            cookie.SecurePolicy = CookieSecurePolicy.Always;
            cookie.Path = "/";
        }
    }
}
