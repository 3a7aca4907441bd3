namespace Portal.Core.Admin;

public enum TrafficKind
{
    /// <summary>First deliveries of an event id, by how the portal handled them.</summary>
    Processed,

    /// <summary>Repeated deliveries of an event id the portal had already processed (answered 200, nothing changed).</summary>
    Duplicate,

    /// <summary>Deliveries refused (bad signature, stale timestamp, malformed body), by reason.</summary>
    Rejected,
}
