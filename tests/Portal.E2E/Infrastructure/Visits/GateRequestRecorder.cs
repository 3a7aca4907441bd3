namespace Portal.E2E.Infrastructure.Visits;

/// <summary>Records each request the portal sends to 0Gate during a visit as <c>METHOD /path?query</c>.</summary>
internal sealed class GateRequestRecorder(VisitRecorder recorder) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (recorder.Recording)
        {
            recorder.AddGateRequest($"{request.Method} {request.RequestUri?.PathAndQuery}");
        }

        return base.SendAsync(request, cancellationToken);
    }
}
