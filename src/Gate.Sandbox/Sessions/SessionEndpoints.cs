using System.Security.Cryptography;
using Gate.Sandbox.Api;
using Gate.Sandbox.Capabilities;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gate.Sandbox.Sessions;

public static class SessionEndpoints
{
    private const int MaxBodyBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapSessionEndpoints(this IEndpointRouteBuilder routes)
    {
        var sessions = routes.MapGroup("/v1/gate_sessions").RequireApiKey(KeyKinds.Secret);
        sessions.MapPost("/", CreateSession);
        sessions.MapGet("/{id}", GetSession);
        sessions.MapPost("/{id}/cancel", CancelSession);
        return routes;
    }

    public static async Task<Results<ContentHttpResult, JsonHttpResult<ErrorEnvelope>>> CreateSession(
        HttpContext context, SessionService sessions, CapabilityCatalog catalog, CancellationToken ct)
    {
        var key = context.Request.Headers["Idempotency-Key"].ToString();
        if (string.IsNullOrWhiteSpace(key))
        {
            return ApiError.Invalid(context, "idempotency_key_missing", "Creating a session requires an 'Idempotency-Key' header holding a UUID.");
        }

        if (!Guid.TryParse(key, out _))
        {
            return ApiError.Invalid(context, "idempotency_key_invalid", "'Idempotency-Key' must be a UUID, e.g. 0d9a3a52-7f3e-4c1a-9b7e-2f1c8a6d5e40.");
        }

        var body = await ReadBodyAsync(context.Request, ct);
        if (body is null)
        {
            return ApiError.Create(context, StatusCodes.Status413PayloadTooLarge, ErrorTypes.InvalidRequest, "body_too_large", $"The request body exceeds {MaxBodyBytes} bytes.");
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(body));
        var (command, problem) = CreateSessionValidator.Validate(body, catalog.Disabled);
        return ToResult(context, await sessions.CreateAsync(key.Trim().ToLowerInvariant(), hash, command, problem, ct));
    }

    public static async Task<Results<ContentHttpResult, JsonHttpResult<ErrorEnvelope>>> GetSession(
        string id, HttpContext context, SessionService sessions, CancellationToken ct) =>
        ToResult(context, await sessions.GetAsync(id, ct));

    public static async Task<Results<ContentHttpResult, JsonHttpResult<ErrorEnvelope>>> CancelSession(
        string id, HttpContext context, SessionService sessions, CancellationToken ct) =>
        ToResult(context, await sessions.CancelAsync(id, ct));

    public static Results<ContentHttpResult, JsonHttpResult<ErrorEnvelope>> ToResult(HttpContext context, ApiOutcome outcome)
    {
        if (outcome.Failure is { } f)
        {
            return ApiError.Create(context, outcome.Status, f.Type, f.Code, f.Message);
        }

        if (outcome.Replayed)
        {
            context.Response.Headers["Idempotent-Replayed"] = "true";
        }

        return TypedResults.Text(outcome.Body, "application/json; charset=utf-8", System.Text.Encoding.UTF8, outcome.Status);
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
