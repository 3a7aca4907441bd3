using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Portal.E2E.Infrastructure.Visits;

/// <summary>
/// First in the portal's pipeline: a request carrying the visit cookie runs, with everything it starts, as that visit.
/// The circuit lives inside its WebSocket request, so its renders, timers and reads carry the mark too.
/// </summary>
internal sealed class VisitMarker : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            VisitRecorder.CurrentVisit = context.Request.Cookies[VisitRecorder.CookieName];
            await nextMiddleware(context);
        });
        next(app);
    };
}
