namespace Portal.Hosting;

public static class InstanceHeaderHostingExtensions
{
    /// <summary>
    /// With <c>Portal:InstanceName</c> set (several instances behind a load balancer), every response says which
    /// instance answered (<c>X-Portal-Instance</c>): what an operator needs to follow a request or a sticky session.
    /// </summary>
    public static WebApplication UseInstanceHeader(this WebApplication app)
    {
        if (app.Configuration["Portal:InstanceName"] is { Length: > 0 } name)
        {
            app.Use((context, next) =>
            {
                context.Response.Headers["X-Portal-Instance"] = name;
                return next(context);
            });
        }

        return app;
    }
}
