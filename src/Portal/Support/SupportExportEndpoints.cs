using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Auth;
using Portal.Core.Audit;
using Portal.Core.Checkout;
using Portal.Core.Support;

namespace Portal.Support;

/// <summary>
/// CSV exports of staff lists, streamed row by row from the store (every matching row, not one page): support's
/// attempt list (<c>/support/attempts.csv</c>, the same query as <c>/support/attempts</c>) and the audit log
/// (<c>/admin/audit.csv</c>, the same query as <c>/admin/audit</c>). A filter the portal cannot read answers 400.
/// </summary>
public static class SupportExportEndpoints
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static IEndpointRouteBuilder MapSupportExportEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/support/attempts.csv", ExportAttempts)
            .WithName("ExportSupportAttempts")
            .RequireAuthorization(PortalPolicies.Support);
        endpoints.MapGet("/admin/audit.csv", ExportAudit)
            .WithName("ExportAuditLog")
            .RequireAuthorization(PortalPolicies.Admin);
        return endpoints;
    }

    internal static Results<PushStreamHttpResult, ProblemHttpResult> ExportAttempts(HttpContext http, SupportAttempts support, TimeProvider time)
    {
        var query = AttemptListQuery.Parse(http.Request.Query, out var errors);
        if (errors.Count > 0)
        {
            return InvalidFilter(errors);
        }

        var now = time.GetUtcNow();
        var filter = query.ToFilter(now);
        return Stream(http, Csv.FileName("attempts", now), async (writer, ct) =>
        {
            await writer.WriteAsync(Csv.Line("attempt_id", "status", "needs_review", "flow", "amount", "currency", "target_token", "target_network",
                "account_id", "gate_session_id", "tx_refid", "closed_by_event_id", "environment", "created_at", "updated_at", "closed_at", "matched_on"));
            var rows = 0;
            await foreach (var row in support.StreamAsync(filter, query.Sort, ct))
            {
                var a = row.Attempt;
                await writer.WriteAsync(Csv.Line(a.Id, a.Status.ToWire(), a.NeedsReview ? "yes" : "no", a.Flow.ToWire(), Csv.Amount(a.Amount), a.Currency,
                    a.TargetToken, a.TargetNetwork, a.AccountId, a.GateSessionId, a.TxRefId, a.ClosedByEventId, a.GateEnvironment,
                    Csv.Time(a.CreatedAt), Csv.Time(a.UpdatedAt), Csv.Time(a.ClosedAt), row.MatchedOn is { } match ? MatchedOn(match) : null));
                if (++rows % 200 == 0)
                {
                    await writer.FlushAsync(ct);
                }
            }
        });
    }

    internal static Results<PushStreamHttpResult, ProblemHttpResult> ExportAudit(HttpContext http, AuditLog audit, TimeProvider time)
    {
        var query = AuditListQuery.Parse(http.Request.Query, out var errors);
        if (errors.Count > 0)
        {
            return InvalidFilter(errors);
        }

        var now = time.GetUtcNow();
        var filter = query.ToFilter(now);
        return Stream(http, Csv.FileName("audit", now), async (writer, ct) =>
        {
            await writer.WriteAsync(Csv.Line("id", "occurred_at", "actor_subject", "actor_name", "actor_role", "action", "attempt_id", "result", "detail", "reason", "run_id"));
            var rows = 0;
            await foreach (var e in audit.StreamAsync(filter, ct))
            {
                await writer.WriteAsync(Csv.Line(e.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Csv.Time(e.OccurredAt), e.ActorSubject, e.ActorName,
                    e.ActorRole, AuditListQuery.Wire(e.Action), e.AttemptId, AuditListQuery.Wire(e.Result), e.Detail, e.Reason, e.RunId));
                if (++rows % 200 == 0)
                {
                    await writer.FlushAsync(ct);
                }
            }
        });
    }

    public static string MatchedOn(SearchMatch match) => match switch
    {
        SearchMatch.AttemptId => "attempt_id",
        SearchMatch.GateSessionId => "gate_session_id",
        SearchMatch.TxRefId => "tx_refid",
        SearchMatch.EventId => "event_id",
        _ => "account_id",
    };

    private static ProblemHttpResult InvalidFilter(IReadOnlyList<string> errors) =>
        TypedResults.Problem(string.Join(" ", errors), statusCode: StatusCodes.Status400BadRequest, title: "Invalid filter");

    private static PushStreamHttpResult Stream(HttpContext http, string fileName, Func<StreamWriter, CancellationToken, Task> write)
    {
        // Exports name customers' accounts: never kept by a browser or proxy cache.
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Stream(async body =>
        {
            await using var writer = new StreamWriter(body, Utf8, bufferSize: 16 * 1024, leaveOpen: true);
            await write(writer, http.RequestAborted);
            await writer.FlushAsync(http.RequestAborted);
        }, Csv.ContentType, fileName);
    }
}
