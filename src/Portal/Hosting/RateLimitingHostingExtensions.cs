using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Portal.Auth;
using Portal.Core.Limits;
using Portal.Endpoints;

namespace Portal.Hosting;

public static class RateLimitingHostingExtensions
{
    /// <summary>
    /// ASP.NET Core's rate limiter: a sliding window per client IP on <c>/login</c> and <c>/signin-oidc</c> (429 with
    /// Retry-After), and the webhook endpoint's own limits (<see cref="WebhookLimits"/>). Limits per person (starting
    /// checkouts, reconciling) live in Core (<see cref="UserActionLimits"/>).
    /// </summary>
    public static WebApplicationBuilder AddPortalRateLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<WebhookLimits>();
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((options, limits) =>
        {
            var perMinute = limits.Value.SignInPerMinute;
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                IsSignIn(http.Request.Path)
                    ? RateLimitPartition.GetSlidingWindowLimiter(
                        http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                        _ => new SlidingWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), SegmentsPerWindow = 6, QueueLimit = 0 })
                    : RateLimitPartition.GetNoLimiter("unlimited"));
            options.OnRejected = (context, cancellationToken) =>
            {
                var response = context.HttpContext.Response;
                response.StatusCode = StatusCodes.Status429TooManyRequests;
                response.Headers.RetryAfter = WebhookLimits.RetryAfterSeconds(context.Lease, fallback: 10);
                return new ValueTask(TypedResults.Problem(
                    "Too many sign-in requests from this address. Wait a moment and try again.",
                    statusCode: StatusCodes.Status429TooManyRequests,
                    title: "Too many requests",
                    extensions: new Dictionary<string, object?> { ["reason"] = "too_many_sign_ins" }).ExecuteAsync(context.HttpContext));
            };
        });
        return builder;
    }

    private static bool IsSignIn(PathString path) =>
        path.StartsWithSegments(AuthEndpoints.LoginPath, StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/signin-oidc", StringComparison.OrdinalIgnoreCase);
}
