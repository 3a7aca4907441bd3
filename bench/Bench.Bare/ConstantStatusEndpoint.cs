namespace Bench.Bare;

/// <summary>
/// <c>GET /api/checkout/{attemptId}/status</c> answering a constant body of the portal's status shape
/// (<c>{ attemptId, status, view, canRetry, nextPollMs, createdAt, message }</c>): the cost of serving JSON at all,
/// without authentication or a database read.
/// </summary>
public static class ConstantStatusEndpoint
{
    private static readonly DateTimeOffset CreatedAt = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public static IEndpointRouteBuilder MapConstantStatus(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/checkout/{attemptId}/status", (string attemptId) => TypedResults.Ok(new ConstantStatus(
            attemptId, "requires_action", "requires_action", false, 3000, CreatedAt,
            "Your checkout is not finished yet. You can continue where you left off.")));
        return endpoints;
    }
}

public sealed record ConstantStatus(string AttemptId, string Status, string View, bool CanRetry, int? NextPollMs, DateTimeOffset CreatedAt, string Message);
