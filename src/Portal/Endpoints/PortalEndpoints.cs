using Portal.Checkout;
using Portal.Support;

namespace Portal.Endpoints;

public static class PortalEndpoints
{
    public static WebApplication MapPortalEndpoints(this WebApplication app)
    {
        app.MapWebhookEndpoints();
        app.MapHealthEndpoints();
        app.MapCheckoutEndpoints();
        app.MapSupportExportEndpoints();
        return app;
    }
}
