using System.Text.Json;

namespace Gate.Sandbox.Api;

public static class SandboxJson
{
    /// <summary>The wire format: snake_case, nulls written (absent fields are explicit).</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };
}
