using System.Text.Json;

namespace Portal.Tests.Infrastructure;

/// <summary>Event bodies as 0Gate sends them (docs/architecture.md#webhook-contract): <c>data</c> is the session, with <c>tx_refid</c> once completed.</summary>
public static class GateEvents
{
    public static string Json(string id, string type, string? sessionId, string? userReference, string? txRefId = null) =>
        JsonSerializer.Serialize(new
        {
            id,
            type,
            created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            data = new { id = sessionId, @object = "gate_session", status = "completed", user_reference = userReference, tx_refid = txRefId },
        });
}
