namespace Portal.Auth;

/// <summary>
/// Requests of the JSON API (<c>/api/…</c>), which answer in JSON whatever happens: sign-in answers them 401 instead of
/// a redirect, and the pipeline gives them JSON errors.
/// </summary>
public static class ApiRequests
{
    public static bool Is(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);
    }
}
