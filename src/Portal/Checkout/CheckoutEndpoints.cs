using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Core.Checkout;

namespace Portal.Checkout;

public static class CheckoutEndpoints
{
    public static IEndpointRouteBuilder MapCheckoutEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/checkout/{attemptId}/status", GetStatus)
            .WithName("GetCheckoutStatus")
            .RequireAuthorization();
        return endpoints;
    }

    /// <summary><c>{ attemptId, status, view, canRetry, nextPollMs }</c> from server state; 404 for anyone else's attempt.</summary>
    internal static async Task<Results<Ok<CheckoutStatusResponse>, NotFound>> GetStatus(
        string attemptId, ClaimsPrincipal user, AttemptAccess access, CancellationToken cancellationToken)
    {
        var attempt = await access.FindAsync(user, attemptId, cancellationToken);
        if (attempt is null)
        {
            return TypedResults.NotFound();
        }

        var view = CheckoutStatusView.For(attempt);
        return TypedResults.Ok(new CheckoutStatusResponse(view.AttemptId, view.Status, view.View, view.CanRetry, view.NextPollMs, view.CreatedAt, view.Message));
    }
}

public sealed record CheckoutStatusResponse(string AttemptId, string Status, string View, bool CanRetry, int? NextPollMs, DateTimeOffset CreatedAt, string Message);
