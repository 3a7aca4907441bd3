using Microsoft.AspNetCore.Http.HttpResults;

namespace Gate.Sandbox.Api;

public sealed record ErrorEnvelope(ErrorBody Error);

public sealed record ErrorBody(string Type, string Code, string Message, string RequestId);

public static class ErrorTypes
{
    public const string InvalidRequest = "invalid_request_error";
    public const string Authentication = "authentication_error";
    public const string Permission = "permission_error";
    public const string Idempotency = "idempotency_error";
    public const string NotFound = "not_found_error";
    public const string Conflict = "conflict_error";
    public const string RateLimit = "rate_limit_error";
    public const string Api = "api_error";
}

/// <summary>Builds the error envelope <c>{"error":{type,code,message,request_id}}</c>.</summary>
public static class ApiError
{
    public static JsonHttpResult<ErrorEnvelope> Create(HttpContext context, int status, string type, string code, string message) =>
        TypedResults.Json(new ErrorEnvelope(new ErrorBody(type, code, message, RequestIds.Get(context))), SandboxJson.Options, statusCode: status);

    public static JsonHttpResult<ErrorEnvelope> Invalid(HttpContext context, string code, string message) =>
        Create(context, StatusCodes.Status400BadRequest, ErrorTypes.InvalidRequest, code, message);

    public static JsonHttpResult<ErrorEnvelope> NotFound(HttpContext context, string code, string message) =>
        Create(context, StatusCodes.Status404NotFound, ErrorTypes.NotFound, code, message);

    public static JsonHttpResult<ErrorEnvelope> Conflict(HttpContext context, string code, string message) =>
        Create(context, StatusCodes.Status409Conflict, ErrorTypes.Conflict, code, message);

    /// <summary>Writes the envelope directly, for middleware and filters outside endpoint results.</summary>
    public static Task WriteAsync(HttpContext context, int status, string type, string code, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(
            new ErrorEnvelope(new ErrorBody(type, code, message, RequestIds.Get(context))), SandboxJson.Options);
    }
}
