using Portal.Core.Persistence;

namespace Portal.Hosting;

public static class MigrationGateHostingExtensions
{
    /// <summary>
    /// While the database lacks migrations this instance needs (PostgreSQL in production, before the deploy step ran
    /// <c>portal migrate</c>), everything but <c>/healthz</c> and <c>/readyz</c> answers 503 with Retry-After: the
    /// instance refuses to serve rather than race other instances to migrate, and starts serving by itself once the
    /// migrations are applied.
    /// </summary>
    public static WebApplication UseMigrationGate(this WebApplication app)
    {
        var state = app.Services.GetRequiredService<MigrationState>();
        app.Use(async (context, next) =>
        {
            if (state.IsCurrent || context.Request.Path.StartsWithSegments("/healthz") || context.Request.Path.StartsWithSegments("/readyz"))
            {
                await next(context);
                return;
            }

            context.Response.Headers.RetryAfter = "10";
            await TypedResults.Problem(
                "The database is missing migrations this version needs; the deploy step 'portal migrate' applies them.",
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Not migrated yet",
                extensions: new Dictionary<string, object?> { ["reason"] = "migrations_pending" }).ExecuteAsync(context);
        });
        return app;
    }
}
