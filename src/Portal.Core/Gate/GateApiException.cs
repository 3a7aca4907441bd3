using System.Net;

namespace Portal.Core.Gate;

/// <summary>
/// 0Gate answered with an error, or could not be reached in time. Carries the error envelope's
/// type/code (safe to record) and the request id; never a key or a payload.
/// </summary>
public sealed class GateApiException : Exception
{
    public GateApiException(string message, HttpStatusCode? status, string? code, string? requestId, Exception? inner = null)
        : base(message, inner)
    {
        Status = status;
        Code = code;
        RequestId = requestId;
    }

    public GateApiException()
    {
    }

    public GateApiException(string message)
        : base(message)
    {
    }

    public GateApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public HttpStatusCode? Status { get; }

    public string? Code { get; }

    public string? RequestId { get; }

    /// <summary>Timeouts, 5xx and 429: worth another try later with the same idempotency key.</summary>
    public bool IsTransient => Status is null or HttpStatusCode.TooManyRequests || (int?)Status >= 500;
}
