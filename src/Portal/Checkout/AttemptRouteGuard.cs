using System.Text.RegularExpressions;

namespace Portal.Checkout;

/// <summary>
/// Answers 404 on the first HTTP request for an attempt page the signed-in user may not see, before
/// anything renders, so someone else's attempt is indistinguishable from a missing one. (Pages check
/// again through <see cref="AttemptAccess"/> for in-circuit navigation.) Runs after authorization, so
/// anonymous visitors are sent to sign in first.
/// </summary>
public sealed partial class AttemptRouteGuard(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, AttemptAccess access)
    {
        if (HttpMethods.IsGet(context.Request.Method)
            && context.User.Identity?.IsAuthenticated == true
            && AttemptPage().Match(context.Request.Path.Value ?? string.Empty) is { Success: true } match
            && await access.FindAsync(context.User, match.Groups["id"].Value, context.RequestAborted) is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        await next(context);
    }

    // /checkout/{id}, /checkout/{id}/return|cancel|status — but not /checkout/new or /checkout/attempts.
    [GeneratedRegex("^/checkout/(?!new$|attempts$)(?<id>[^/]+)(/(return|cancel|status))?/?$", RegexOptions.CultureInvariant)]
    private static partial Regex AttemptPage();
}
