namespace Portal.Core.Gate;

/// <summary>
/// What 0Gate currently allows, read at most once a minute. When 0Gate cannot be reached the start
/// forms show an unavailable state instead of offering a path that would fail.
/// </summary>
public sealed class GateCapabilitiesCache(GateClient gate, TimeProvider time, ILogger<GateCapabilitiesCache> logger)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);
    private (GateCapabilities Value, DateTimeOffset ReadAt)? _cached;

    public async Task<GateCapabilities> GetAsync(CancellationToken cancellationToken)
    {
        if (_cached is { } fresh && time.GetUtcNow() - fresh.ReadAt < Lifetime)
        {
            return fresh.Value;
        }

        try
        {
            // Concurrent misses may each read once; the answer is small and the same.
            var read = await gate.GetCapabilitiesAsync(cancellationToken);
            _cached = (read.Value, time.GetUtcNow());
            return read.Value;
        }
        catch (GateApiException ex)
        {
            logger.LogWarning("Reading 0Gate capabilities failed: {Code} (request {RequestId})", ex.Code, ex.RequestId);
            return _cached?.Value ?? GateCapabilities.None;
        }
    }

    /// <summary>Forget the cached answer (admins changed something, or tests switched a capability).</summary>
    public void Invalidate() => _cached = null;
}
