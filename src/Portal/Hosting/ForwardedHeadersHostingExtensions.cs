using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Portal.Hosting;

/// <summary>
/// Production runs behind a TLS-terminating reverse proxy (deploy/nginx/). The proxy's <c>X-Forwarded-Proto</c> and
/// <c>X-Forwarded-For</c> are honoured only when the request comes from a known proxy (<see cref="ForwardedHeadersSettings"/>),
/// so the portal sees https (OIDC redirect_uri, Secure cookies, HSTS) and the client's address; the Host header is
/// the one the proxy passes on. Anyone else's forwarded headers are ignored.
/// </summary>
public static class ForwardedHeadersHostingExtensions
{
    public static WebApplicationBuilder AddForwardedHeaders(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ForwardedHeadersSettings>()
            .BindConfiguration(ForwardedHeadersSettings.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddOptions<ForwardedHeadersOptions>()
            .Configure<IOptions<ForwardedHeadersSettings>>((forwarded, settings) =>
            {
                forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
                // One proxy: only its own (last) entry counts, whatever the client put in front of it.
                forwarded.ForwardLimit = 1;

                // The framework's defaults are the loopback network and ::1; configured lists replace them.
                if (!settings.Value.UsesLoopbackDefault)
                {
                    forwarded.KnownProxies.Clear();
                    forwarded.KnownIPNetworks.Clear();
                    foreach (var proxy in settings.Value.ProxyAddresses())
                    {
                        forwarded.KnownProxies.Add(proxy);
                    }

                    foreach (var network in settings.Value.ProxyNetworks())
                    {
                        forwarded.KnownIPNetworks.Add(network);
                    }
                }
            });
        return builder;
    }
}
