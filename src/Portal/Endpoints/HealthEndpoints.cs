namespace Portal.Endpoints;

public static class HealthEndpoints
{
    /// <summary><c>/healthz</c>: the process is up. <c>/readyz</c>: it can serve (database reachable, migrated).</summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/healthz", new() { Predicate = _ => false }).AllowAnonymous();
        endpoints.MapHealthChecks("/readyz", new() { Predicate = check => check.Tags.Contains("ready") }).AllowAnonymous();
        return endpoints;
    }
}
