using Dev.Identity.Account;
using Dev.Identity.Connect;
using Dev.Identity.Storage;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Dev.Identity;

/// <summary>
/// Builds the development OpenID Connect provider. Used by <see cref="Program.Main"/> and by the portal,
/// which starts it in-process; either way the configuration comes only from <see cref="DevIdentityHostOptions"/>.
/// </summary>
public static class DevIdentityApp
{
    /// <summary>The provider's own sign-in cookie (named apart from the portal's: cookies ignore ports).</summary>
    public const string SessionScheme = "DevIdentity.Session";
    public const string SessionCookieName = ".DevIdentity.Session";
    public const string AntiforgeryCookieName = ".DevIdentity.Antiforgery";

    public static WebApplication Build(DevIdentityHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        // An empty builder reads no appsettings, environment variables or command line.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(DevIdentityApp).Assembly.GetName().Name,
            EnvironmentName = options.EnvironmentName,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseKestrelCore().UseUrls(options.Url.GetLeftPart(UriPartial.Authority));
        options.ConfigureLogging?.Invoke(builder.Logging);

        builder.Services.AddSingleton(options);
        builder.Services.AddRouting();
        builder.Services.AddDataProtection()
            .SetApplicationName("Dev.Identity")
            .UseEphemeralDataProtectionProvider();
        builder.Services.AddAntiforgery(antiforgery => antiforgery.Cookie.Name = AntiforgeryCookieName);

        builder.Services.AddAuthentication(SessionScheme)
            .AddCookie(SessionScheme, cookie =>
            {
                cookie.Cookie.Name = SessionCookieName;
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.LoginPath = AccountEndpoints.LoginPath;
                cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
            });
        builder.Services.AddAuthorization();

        builder.Services.AddSingleton<InMemoryDatabase>();
        builder.Services.AddDbContext<DevIdentityDbContext>((services, db) =>
        {
            db.UseSqlite(services.GetRequiredService<InMemoryDatabase>().ConnectionString);
            db.UseOpenIddict();
        });
        builder.Services.AddOpenIddictServer(options.Url);
        builder.Services.AddHostedService<DevIdentitySeeder>();

        var app = builder.Build();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapGet("/", () => Results.Text("Development OpenID Connect provider. Discovery: /.well-known/openid-configuration"));
        app.MapAccountEndpoints();
        app.MapConnectEndpoints();
        return app;
    }

    private static void AddOpenIddictServer(this IServiceCollection services, Uri issuer) =>
        services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<DevIdentityDbContext>())
            .AddServer(server =>
            {
                server.SetIssuer(issuer)
                    .SetAuthorizationEndpointUris(ConnectEndpoints.AuthorizationPath)
                    .SetTokenEndpointUris(ConnectEndpoints.TokenPath)
                    .SetUserInfoEndpointUris(ConnectEndpoints.UserInfoPath)
                    .SetEndSessionEndpointUris(ConnectEndpoints.EndSessionPath)
                    .AllowAuthorizationCodeFlow()
                    .RequireProofKeyForCodeExchange()
                    .RegisterScopes(
                        OpenIddict.Abstractions.OpenIddictConstants.Scopes.OpenId,
                        OpenIddict.Abstractions.OpenIddictConstants.Scopes.Profile,
                        OpenIddict.Abstractions.OpenIddictConstants.Scopes.Email,
                        OpenIddict.Abstractions.OpenIddictConstants.Scopes.Roles)
                    .RegisterClaims(
                        OpenIddict.Abstractions.OpenIddictConstants.Claims.Name,
                        OpenIddict.Abstractions.OpenIddictConstants.Claims.PreferredUsername,
                        OpenIddict.Abstractions.OpenIddictConstants.Claims.Role);

                // Keys live in memory for the life of the process; nothing to store or commit.
                server.AddEphemeralEncryptionKey()
                    .AddEphemeralSigningKey()
                    .DisableAccessTokenEncryption();

                server.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableUserInfoEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    // Development over http://localhost only.
                    .DisableTransportSecurityRequirement();
            });
}
