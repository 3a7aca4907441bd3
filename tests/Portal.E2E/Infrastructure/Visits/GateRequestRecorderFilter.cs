using Microsoft.Extensions.Http;
using Portal.Core.Gate;

namespace Portal.E2E.Infrastructure.Visits;

/// <summary>
/// Puts a <see cref="GateRequestRecorder"/> outermost on the portal's 0Gate client, so one call is one record however
/// often the resilience handler inside it retries.
/// </summary>
internal sealed class GateRequestRecorderFilter(VisitRecorder recorder) : IHttpMessageHandlerBuilderFilter
{
    public Action<HttpMessageHandlerBuilder> Configure(Action<HttpMessageHandlerBuilder> next) => builder =>
    {
        next(builder);
        if (builder.Name == GateClient.HttpClientName)
        {
            builder.AdditionalHandlers.Insert(0, new GateRequestRecorder(recorder));
        }
    };
}
