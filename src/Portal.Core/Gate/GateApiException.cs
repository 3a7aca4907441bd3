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

    /// <summary>0Gate refused because the partner's session quota is used up (HTTP 429, not a rate limit to wait out).</summary>
    public const string QuotaExhausted = "quota_exhausted";

    /// <summary>0Gate refused because the flow, currency, token or network is switched off.</summary>
    public const string CapabilityUnavailable = "capability_unavailable";

    /// <summary>Timeouts, 5xx and rate limits (429 other than an exhausted quota): worth another try later with the same idempotency key.</summary>
    public bool IsTransient => Status is null || (int?)Status >= 500 || (Status == HttpStatusCode.TooManyRequests && Code != QuotaExhausted);

    /// <summary>The path cannot be offered now (quota used up, capability switched off): the customer should see it as unavailable.</summary>
    public bool PathUnavailable => Code is QuotaExhausted or CapabilityUnavailable;
}
