namespace Gate.Sandbox.Api;

/// <summary>Every response carries <c>Request-Id: req_…</c>; errors repeat it in the envelope.</summary>
public static class RequestIds
{
    public const string HeaderName = "Request-Id";
    private const string ItemKey = "gate.request_id";

    public static string Get(HttpContext context)
    {
        if (context.Items.TryGetValue(ItemKey, out var value) && value is string id)
        {
            return id;
        }

        id = Ids.New("req_", 12);
        context.Items[ItemKey] = id;
        return id;
    }

    public static IApplicationBuilder UseRequestIds(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var id = Get(context);
            context.Response.OnStarting(() =>
            {
                context.Response.Headers[HeaderName] = id;
                return Task.CompletedTask;
            });
            return next(context);
        });
}
