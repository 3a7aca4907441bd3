using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Portal.Core.Telemetry;

namespace Portal.Hosting;

public static class TelemetryHostingExtensions
{
    /// <summary>
    /// OpenTelemetry, off by default: on when the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (or
    /// <c>Telemetry:Enabled</c> is true), exporting the <c>Portal</c> meter and activity source plus ASP.NET Core and
    /// HttpClient instrumentation over OTLP. Everything else (protocol, headers, intervals, service name) comes from
    /// the standard <c>OTEL_*</c> variables, read by the SDK itself.
    /// </summary>
    public static WebApplicationBuilder AddPortalTelemetry(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var enabled = configuration.GetValue<bool?>("Telemetry:Enabled") ?? !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        if (!enabled)
        {
            return builder;
        }

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : "portal"))
            .WithMetrics(metrics => metrics
                .AddMeter(PortalTelemetry.Name)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation())
            .WithTracing(tracing => tracing
                .AddSource(PortalTelemetry.Name)
                .AddAspNetCoreInstrumentation(aspnet => aspnet.Filter = http => !http.Request.Path.StartsWithSegments("/_blazor"))
                .AddHttpClientInstrumentation())
            .UseOtlpExporter();
        return builder;
    }
}
