using System.Security.Cryptography;
using System.Text;
using Gate.Sandbox.Partner;

namespace Gate.Sandbox.Api;

[Flags]
public enum KeyKinds
{
    Secret = 1,
    Publishable = 2,
}

/// <summary>Checks <c>Authorization: Bearer sk_…|pk_…</c> against the partner's keys in fixed time.</summary>
public sealed class ApiKeyFilter(KeyKinds allowed) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var partner = http.RequestServices.GetRequiredService<PartnerState>();
        string header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= 7)
        {
            return ApiError.Create(http, StatusCodes.Status401Unauthorized, ErrorTypes.Authentication, "api_key_missing",
                "No API key provided. Send 'Authorization: Bearer sk_…' (server) or 'Bearer pk_…' (browser-safe endpoints).");
        }

        var key = header[7..].Trim();
        if (SameKey(key, partner.SecretKey))
        {
            return allowed.HasFlag(KeyKinds.Secret)
                ? await next(context)
                : ApiError.Create(http, StatusCodes.Status403Forbidden, ErrorTypes.Permission, "publishable_key_required",
                    "This endpoint is called from the browser and takes the publishable key (pk_…); never send a secret key to a browser.");
        }

        if (SameKey(key, partner.PublishableKey))
        {
            return allowed.HasFlag(KeyKinds.Publishable)
                ? await next(context)
                : ApiError.Create(http, StatusCodes.Status403Forbidden, ErrorTypes.Permission, "secret_key_required",
                    "Publishable keys can only read capabilities and bootstrap the embed; this endpoint needs the secret key (sk_…).");
        }

        return ApiError.Create(http, StatusCodes.Status401Unauthorized, ErrorTypes.Authentication, "invalid_api_key",
            "The API key provided is not valid for this sandbox.");
    }

    private static bool SameKey(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));
}

public static class ApiKeyFilterExtensions
{
    public static TBuilder RequireApiKey<TBuilder>(this TBuilder builder, KeyKinds allowed) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(new ApiKeyFilter(allowed));
}
