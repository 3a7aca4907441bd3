using System.Security.Cryptography;
using System.Text;
using Gate.Sandbox.Api;
using Gate.Sandbox.Partner;
using Gate.Sandbox.Sessions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gate.Sandbox.Embed;

public sealed record BootstrapRequest(string? ClientSecret);

public sealed record BootstrapResponse(string EmbedToken, string TokenType, long ExpiresAt, string SessionId);

/// <summary>What the hosted page may see of its session: no client secret, nothing it can change.</summary>
public sealed record EmbedSessionView(
    string Id, string Status, string Flow, string Amount, string Currency, string? TargetToken, string? TargetNetwork,
    bool KycPreVerified, string ReturnUrl, string? CancelUrl, long ExpiresAt)
{
    public static EmbedSessionView From(GateSession s) => new(
        s.Id, s.Status, s.Flow, s.Amount, s.Currency, s.TargetToken, s.TargetNetwork, s.KycPreVerified, s.ReturnUrl, s.CancelUrl, s.ExpiresAt);
}

public static class EmbedEndpoints
{
    private const string SessionItem = "gate.embed.session";

    public static IEndpointRouteBuilder MapEmbedEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/embed/bootstrap", Bootstrap).RequireApiKey(KeyKinds.Publishable);

        var embed = routes.MapGroup("/v1/embed/session").AddEndpointFilter(RequireEmbedToken);
        embed.MapGet("/", GetEmbedSession);
        embed.MapPost("/complete", (HttpContext c, SessionService s, CancellationToken ct) => Act(c, s.CompleteAsync, ct));
        embed.MapPost("/fail", (HttpContext c, SessionService s, CancellationToken ct) => Act(c, s.FailAsync, ct));
        embed.MapPost("/cancel", (HttpContext c, SessionService s, CancellationToken ct) => Act(c, s.CancelAsync, ct));
        embed.MapPost("/require_verification", (HttpContext c, SessionService s, CancellationToken ct) => Act(c, s.RequireVerificationAsync, ct));

        routes.MapGet("/embed", HostedPage.Render);
        return routes;
    }

    /// <summary>Exchanges the publishable key + the session's client secret for a 1 h embed token.</summary>
    public static async Task<Results<Ok<BootstrapResponse>, JsonHttpResult<ErrorEnvelope>>> Bootstrap(
        BootstrapRequest? request, SessionService sessions, EmbedTokens tokens, HttpContext context, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request?.ClientSecret))
        {
            return ApiError.Invalid(context, "parameter_missing", "'client_secret' is required.");
        }

        var outcome = await sessions.GetByClientSecretAsync(request.ClientSecret, ct);
        if (outcome.Session is not { } session)
        {
            return ApiError.NotFound(context, "session_not_found", "No open session matches this client_secret.");
        }

        if (session.Status != SessionStatus.Open)
        {
            return ApiError.Conflict(context, "session_not_open", $"This session is {session.Status} and can no longer be used. Start a new checkout.");
        }

        var (token, expiresAt) = tokens.Issue(session.Id);
        return TypedResults.Ok(new BootstrapResponse(token, "Bearer", expiresAt, session.Id));
    }

    public static async Task<Results<Ok<EmbedSessionView>, JsonHttpResult<ErrorEnvelope>>> GetEmbedSession(
        HttpContext context, SessionService sessions, CancellationToken ct)
    {
        var outcome = await sessions.GetAsync((string)context.Items[SessionItem]!, ct);
        return outcome.Session is { } s
            ? TypedResults.Ok(EmbedSessionView.From(s))
            : ApiError.NotFound(context, "session_not_found", "No such gate session.");
    }

    private static async Task<Results<Ok<EmbedSessionView>, JsonHttpResult<ErrorEnvelope>>> Act(
        HttpContext context, Func<string, CancellationToken, Task<ApiOutcome>> action, CancellationToken ct)
    {
        var outcome = await action((string)context.Items[SessionItem]!, ct);
        return outcome.Failure is { } f
            ? ApiError.Create(context, outcome.Status, f.Type, f.Code, f.Message)
            : TypedResults.Ok(EmbedSessionView.From(outcome.Session!));
    }

    private static async ValueTask<object?> RequireEmbedToken(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var sessionId = http.RequestServices.GetRequiredService<EmbedTokens>().Validate(http.Request.Headers[EmbedTokens.HeaderName].ToString());
        if (sessionId is null)
        {
            return ApiError.Create(http, StatusCodes.Status401Unauthorized, ErrorTypes.Authentication, "embed_token_invalid",
                "A valid 'X-Embed-Token' from POST /v1/embed/bootstrap is required (tokens last one hour).");
        }

        http.Items[SessionItem] = sessionId;
        return await next(context);
    }

    internal static bool IsPublishableKey(PartnerState partner, string? presented) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented ?? ""), Encoding.UTF8.GetBytes(partner.PublishableKey));
}
