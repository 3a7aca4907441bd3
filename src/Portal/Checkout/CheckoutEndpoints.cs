using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Core.Attempts;
using Portal.Core.Checkout;
using Portal.Core.Gate;
using Portal.Core.Reads;

namespace Portal.Checkout;

public static class CheckoutEndpoints
{
    public static IEndpointRouteBuilder MapCheckoutEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/checkout/{attemptId}/status", GetStatus)
            .WithName("GetCheckoutStatus")
            .RequireAuthorization();
        endpoints.MapPost("/checkout/{attemptId}/cancel/confirm", ConfirmCancel)
            .WithName("ConfirmCheckoutCancel")
            .RequireAuthorization();
        return endpoints;
    }

    /// <summary><c>{ attemptId, status, view, canRetry, nextPollMs }</c> from server state; 404 for anyone but the owner.</summary>
    internal static async Task<Results<Ok<CheckoutStatusResponse>, NotFound>> GetStatus(
        string attemptId, ClaimsPrincipal user, AttemptAccess access, CancellationToken cancellationToken)
    {
        var view = await access.FindOwnedStatusAsync(user, attemptId, cancellationToken);
        if (view is null)
        {
            return TypedResults.NotFound();
        }

        return TypedResults.Ok(new CheckoutStatusResponse(
            view.AttemptId, view.Status.ToWire(), view.View.ToWire(), view.CanRetry, view.NextPollMs, view.CreatedAt, view.Copy.Message));
    }

    /// <summary>
    /// The owner's confirmed "Cancel this checkout": a form POST carrying the antiforgery token (so a cross-site page,
    /// a link prefetcher or a replay without the token cancels nothing). The 0Gate session is cancelled server-side and
    /// the attempt follows 0Gate's answer; the browser then reads the outcome on the status page.
    /// </summary>
    internal static async Task<Results<StatusCodeHttpResult, NotFound, ProblemHttpResult>> ConfirmCancel(
        string attemptId, HttpContext http, IAntiforgery antiforgery, AttemptAccess access, CheckoutService checkout, CancellationToken cancellationToken)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return TypedResults.Problem(
                "This form has expired or did not come from this site. Reload the page and try again; nothing was cancelled.",
                statusCode: StatusCodes.Status400BadRequest, title: "Invalid form");
        }

        var attempt = await access.FindOwnedAsync(http.User, attemptId, cancellationToken);
        if (attempt is null)
        {
            return TypedResults.NotFound();
        }

        try
        {
            await checkout.CancelAsync(attempt, cancellationToken);
            return SeeOther(http, $"/checkout/{attempt.Id}/status");
        }
        catch (GateApiException)
        {
            // 0Gate could not be reached: nothing changed; the cancel page says so and offers the button again.
            return SeeOther(http, $"/checkout/{attempt.Id}/cancel?problem=unreachable");
        }
    }

    /// <summary>303 See Other: the browser follows the POST with a GET of the page (a reload never re-posts).</summary>
    private static StatusCodeHttpResult SeeOther(HttpContext http, string path)
    {
        http.Response.Headers.Location = path;
        return TypedResults.StatusCode(StatusCodes.Status303SeeOther);
    }
}
