namespace Portal.Hosting;

/// <summary>
/// Headers on every response (pages, error and not-found pages, static files, APIs): the content security policy,
/// the referrer and permissions policies and nosniff; HSTS on https outside Development.
/// </summary>
public static class SecurityHeadersHostingExtensions
{
    /// <summary>A year; sub-domains are not included (the portal cannot speak for other hosts of its domain).</summary>
    public static readonly TimeSpan HstsMaxAge = TimeSpan.FromDays(365);

    public static WebApplicationBuilder AddSecurityHeaders(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SecurityHeaders>();
        builder.Services.AddHsts(hsts =>
        {
            hsts.MaxAge = HstsMaxAge;
            hsts.IncludeSubDomains = false;
            hsts.Preload = false;
            // Browsers ignore HSTS for IP literals (RFC 6797 §8.1), so only the localhost name needs excluding:
            // a portal reached at https://127.0.0.1 behind a local proxy still sends it, harmlessly.
            hsts.ExcludedHosts.Remove("127.0.0.1");
            hsts.ExcludedHosts.Remove("[::1]");
        });
        return builder;
    }

    /// <summary>
    /// Registers the headers when each response starts, so responses written by later middleware (the exception
    /// handler and status-code pages clear headers and re-execute; static files short-circuit) carry them too.
    /// </summary>
    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        var headers = app.Services.GetRequiredService<SecurityHeaders>();
        app.Use((context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                var (response, headers) = ((HttpResponse, SecurityHeaders))state;
                headers.ApplyTo(response.Headers);
                return Task.CompletedTask;
            }, (context.Response, headers));
            return next(context);
        });
        return app;
    }
}
