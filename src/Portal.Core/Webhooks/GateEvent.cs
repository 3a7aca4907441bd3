using System.Text.Json;
using System.Text.Unicode;

namespace Portal.Core.Webhooks;

/// <summary>The fields the portal reads from a verified event body. Everything else stays unparsed.</summary>
public sealed record GateEvent(string Id, string Type, string? SessionId, string? UserReference, string? TxRefId)
{
    public const int MaxIdLength = 100;

    /// <summary>0Gate's events are a few levels deep; anything deeper is not an event.</summary>
    private static readonly JsonDocumentOptions Strict = new()
    {
        MaxDepth = 16,
        AllowDuplicateProperties = false,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
    };

    /// <summary>
    /// A signed body must be valid UTF-8 and a JSON object with string <c>id</c> and <c>type</c> (no property
    /// twice: which copy would be the signed truth?); <c>data</c> (the session) is read when it is an object.
    /// </summary>
    public static bool TryParse(ReadOnlyMemory<byte> body, out GateEvent? gateEvent)
    {
        gateEvent = null;
        if (!Utf8.IsValid(body.Span))
        {
            return false; // invalid bytes anywhere, inside a string or not, are refused before they reach the store
        }

        try
        {
            using var document = JsonDocument.Parse(body, Strict);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !TryString(root, "id", out var id) || string.IsNullOrWhiteSpace(id) || id.Length > MaxIdLength
                || !TryString(root, "type", out var type) || string.IsNullOrWhiteSpace(type) || type.Length > MaxIdLength)
            {
                return false;
            }

            string? sessionId = null, userReference = null, txRefId = null;
            if (root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object)
            {
                sessionId = Bounded(data, "id") ?? Bounded(data, "session_id");
                userReference = Bounded(data, "user_reference");
                txRefId = Bounded(data, "tx_refid");
            }

            gateEvent = new GateEvent(id, type, sessionId, userReference, txRefId);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool TryString(JsonElement element, string name, out string value)
    {
        value = string.Empty;
        if (!element.TryGetProperty(name, out var property) || property.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        value = property.GetString()!;
        return true;
    }

    private static string? Bounded(JsonElement element, string name) =>
        TryString(element, name, out var value) && value.Length is > 0 and <= MaxIdLength ? value : null;
}
