using System.Text.Json;
using Gate.Sandbox.Api;
using Gate.Sandbox.Partner;
using Gate.Sandbox.Receipts;
using Gate.Sandbox.Storage;
using Gate.Sandbox.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Gate.Sandbox.Sessions;

/// <summary>An API outcome: either a JSON body to send as-is, or an error for the envelope.</summary>
public sealed record ApiOutcome(int Status, string? Body, ApiFailure? Failure, bool Replayed = false, GateSession? Session = null)
{
    public static ApiOutcome Ok(string body, GateSession? session = null) => new(StatusCodes.Status200OK, body, null, Session: session);

    public static ApiOutcome Fail(int status, string type, string code, string message) => new(status, null, new(type, code, message));
}

public sealed record ApiFailure(string Type, string Code, string Message);

/// <summary>The session lifecycle: create (idempotent), read with lazy expiry, and the terminal transitions.</summary>
public sealed class SessionService(
    SandboxStore store,
    EventPublisher events,
    DeliveryWakeup wakeup,
    PartnerState partner,
    QuotaTracker quota,
    IOptions<SandboxOptions> options,
    TimeProvider time)
{
    public async Task<ApiOutcome> CreateAsync(string idempotencyKey, string requestHash, CreateSessionCommand? command, ValidationProblem? problem, CancellationToken ct)
    {
        var outcome = await store.RunAsync(async db =>
        {
            var previous = await db.IdempotencyKeys.FindAsync([partner.Id, idempotencyKey], ct);
            if (previous is not null)
            {
                return previous.RequestHash == requestHash
                    ? new ApiOutcome(previous.StatusCode, previous.ResponseBody, null, Replayed: true)
                    : ApiOutcome.Fail(StatusCodes.Status409Conflict, ErrorTypes.Idempotency, "idempotency_key_reused",
                        "This Idempotency-Key was already used with a different request body. Use a new key for a new request.");
            }

            if (problem is not null || command is null)
            {
                return ApiOutcome.Fail(StatusCodes.Status400BadRequest, ErrorTypes.InvalidRequest, problem?.Code ?? "invalid_request", problem?.Message ?? "Invalid request.");
            }

            var settings = partner.Settings;
            if (command.HasKycPackage && !settings.KycTrusted)
            {
                return ApiOutcome.Fail(StatusCodes.Status403Forbidden, ErrorTypes.Permission, "kyc_package_not_trusted",
                    "This partner is not kyc_trusted, so a kyc_package cannot be accepted. Omit kyc_package and let 0Gate verify the user.");
            }

            var used = await quota.UsedAsync(db, ct);
            if (quota.IsExhausted(used))
            {
                return ApiOutcome.Fail(StatusCodes.Status429TooManyRequests, ErrorTypes.RateLimit, "quota_exhausted",
                    "The partner's session quota is exhausted.");
            }

            var now = time.GetUtcNow();
            var id = Ids.New("gs_");
            var session = new SessionRecord
            {
                Id = id,
                PartnerId = partner.Id,
                Status = SessionStatus.Open,
                Amount = command.Amount,
                Currency = command.Currency,
                Flow = command.Flow,
                TargetToken = command.TargetToken,
                TargetNetwork = command.TargetNetwork,
                WalletAddress = command.WalletAddress,
                UserReference = command.UserReference,
                ReturnUrl = command.ReturnUrl,
                CancelUrl = command.CancelUrl,
                ClientSecret = id + "_secret_" + Ids.New("", 24),
                KycPreVerified = command.HasKycPackage,
                CreatedAt = now.ToUnixTimeMilliseconds(),
                ExpiresAt = now.Add(options.Value.SessionLifetime).ToUnixTimeMilliseconds(),
            };
            db.Sessions.Add(session);
            events.Add(db, "gate_session.created", GateSession.From(session, partner.LiveMode, includeClientSecret: false), id);
            if (command.HasKycPackage)
            {
                // Redacted: the raw package never leaves this method.
                events.Add(db, "gate_session.kyc_package_accepted",
                    new KycPackageAccepted(id, partner.Id, partner.LiveMode ? "live" : "test", command.KycProvider, now.ToUnixTimeSeconds(), command.UserReference), id);
            }

            quota.AddCrossingEvents(db, used, used + 1);

            var body = JsonSerializer.Serialize(GateSession.From(session, partner.LiveMode), SandboxJson.Options);
            db.IdempotencyKeys.Add(new IdempotencyRecord
            {
                PartnerId = partner.Id,
                Key = idempotencyKey,
                RequestHash = requestHash,
                StatusCode = StatusCodes.Status200OK,
                ResponseBody = body,
                CreatedAt = now.ToUnixTimeMilliseconds(),
            });
            await db.SaveChangesAsync(ct);
            return ApiOutcome.Ok(body);
        }, ct);

        wakeup.Notify();
        return outcome;
    }

    public Task<ApiOutcome> GetAsync(string id, CancellationToken ct) =>
        MutateAsync(db => db.Sessions.SingleOrDefaultAsync(s => s.Id == id && s.PartnerId == partner.Id, ct), (_, _) => null, ct);

    public Task<ApiOutcome> GetByClientSecretAsync(string clientSecret, CancellationToken ct) =>
        MutateAsync(db => db.Sessions.SingleOrDefaultAsync(s => s.ClientSecret == clientSecret && s.PartnerId == partner.Id, ct), (_, _) => null, ct);

    public Task<ApiOutcome> CancelAsync(string id, CancellationToken ct) =>
        CloseAsync(id, SessionStatus.Cancelled, "gate_session.cancelled", ct);

    public Task<ApiOutcome> FailAsync(string id, CancellationToken ct) =>
        CloseAsync(id, SessionStatus.Failed, "gate_session.failed", ct);

    public Task<ApiOutcome> CompleteAsync(string id, CancellationToken ct) =>
        CloseAsync(id, SessionStatus.Completed, "gate_session.completed", ct);

    /// <summary>Compliance pauses the flow: the session stays open and <c>kyc.required</c> is emitted.</summary>
    public Task<ApiOutcome> RequireVerificationAsync(string id, CancellationToken ct) =>
        MutateAsync(db => db.Sessions.SingleOrDefaultAsync(s => s.Id == id && s.PartnerId == partner.Id, ct), (db, session) =>
        {
            if (session.Status != SessionStatus.Open)
            {
                return ClosedFailure(session);
            }

            events.Add(db, "kyc.required", GateSession.From(session, partner.LiveMode, includeClientSecret: false), session.Id);
            return null;
        }, ct);

    private Task<ApiOutcome> CloseAsync(string id, string status, string eventType, CancellationToken ct) =>
        MutateAsync(db => db.Sessions.SingleOrDefaultAsync(s => s.Id == id && s.PartnerId == partner.Id, ct), (db, session) =>
        {
            if (session.Status != SessionStatus.Open)
            {
                return ClosedFailure(session);
            }

            var now = time.GetUtcNow();
            session.Status = status;
            session.ClosedAt = now.ToUnixTimeMilliseconds();
            if (status == SessionStatus.Completed)
            {
                var refid = Ids.New("tx_");
                session.TxRefid = refid;
                var receipt = ReceiptFactory.Create(session, refid, partner.LiveMode, now.ToUnixTimeSeconds());
                db.Transactions.Add(new TransactionRecord
                {
                    Refid = refid,
                    SessionId = session.Id,
                    ReceiptJson = JsonSerializer.Serialize(receipt, SandboxJson.Options),
                    CreatedAt = now.ToUnixTimeMilliseconds(),
                });
            }

            events.Add(db, eventType, GateSession.From(session, partner.LiveMode, includeClientSecret: false), session.Id);
            return null;
        }, ct);

    /// <summary>
    /// Loads a session, expires it lazily if it is past <c>expires_at</c>, applies <paramref name="change"/>
    /// (which returns a failure or null), saves, and wakes the deliverer.
    /// </summary>
    private async Task<ApiOutcome> MutateAsync(
        Func<SandboxDbContext, Task<SessionRecord?>> load,
        Func<SandboxDbContext, SessionRecord, ApiFailure?> change,
        CancellationToken ct)
    {
        var outcome = await store.RunAsync(async db =>
        {
            var session = await load(db);
            if (session is null)
            {
                return ApiOutcome.Fail(StatusCodes.Status404NotFound, ErrorTypes.NotFound, "session_not_found", "No such gate session.");
            }

            ExpireIfDue(db, session);
            var failure = change(db, session);
            await db.SaveChangesAsync(ct);
            var view = GateSession.From(session, partner.LiveMode);
            return failure is not null
                ? new ApiOutcome(StatusCodes.Status409Conflict, null, failure, Session: view)
                : ApiOutcome.Ok(JsonSerializer.Serialize(view, SandboxJson.Options), view);
        }, ct);

        wakeup.Notify();
        return outcome;
    }

    private void ExpireIfDue(SandboxDbContext db, SessionRecord session)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (session.Status == SessionStatus.Open && now >= session.ExpiresAt)
        {
            session.Status = SessionStatus.Expired;
            session.ClosedAt = now;
            events.Add(db, "gate_session.expired", GateSession.From(session, partner.LiveMode, includeClientSecret: false), session.Id);
        }
    }

    private static ApiFailure ClosedFailure(SessionRecord session) => new(ErrorTypes.Conflict, "session_not_open",
        $"The session is already {session.Status}; a closed session cannot change. Create a new session if the user restarts.");
}
