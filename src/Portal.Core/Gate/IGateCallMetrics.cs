namespace Portal.Core.Gate;

/// <summary>
/// Where the 0Gate client reports each call it made (<c>portal.gate.request.duration</c>). The client sits below the
/// portal's telemetry, which reads the store; this is the one thing it tells it.
/// </summary>
public interface IGateCallMetrics
{
    /// <param name="status">The HTTP status 0Gate answered, or null when it could not be reached.</param>
    void GateCall(string endpoint, int? status, TimeSpan elapsed);
}
