using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Portal.Auth;
using Portal.Core.Attempts;
using Portal.Core.Audit;
using Portal.Core.Gate;
using Portal.Core.Reads;

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
        endpoints.MapGet("/support/bulk-reconcile/runs/{runId}.csv", ExportBulkRun)
            .WithName("ExportBulkReconcileRun")
            .RequireAuthorization(PortalPolicies.Support)
            .DisableCookieRedirect(); // a download, not a page: 401/403 like the other exports
        endpoints.MapGet("/admin/audit.csv", ExportAudit)
            .WithName("ExportAuditLog")
            .RequireAuthorization(PortalPolicies.Admin);
        return endpoints;
    }

    internal static Results<PushStreamHttpResult, ProblemHttpResult> ExportAttempts(HttpContext http, SupportSearch support, IOptions<GateOptions> gate, TimeProvider time)
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
                "account_id", "gate_session_id", "tx_refid", "closed_by_event_id", "environment", "created_at", "updated_at", "closed_at", "matched_on",
                "paid_amount", "paid_unit", "received_amount", "received_unit", "fees", "fee_currency", "exchange_rate", "payment_method",
                "wallet_address", "masked_bank_account", "network", "transaction_hash", "explorer_url", "permalink_url", "local_rail_transaction_id",
                "receipt_request_id"));
            var rows = 0;
            await foreach (var row in support.StreamAsync(filter, query.Sort, ct))
            {
                var a = row.Attempt;
                var r = row.Receipt;
                var money = r is null ? null : ReceiptSummary.Of(r, a.Flow);
                var explorer = r is null ? null : ReceiptExplorer.For(a.GateEnvironment ?? gate.Value.Environment, r.Network, r.TransactionHash, r.ExplorerUrl);
                await writer.WriteAsync(Csv.Line([a.Id, a.Status.ToWire(), a.NeedsReview ? "yes" : "no", a.Flow.ToWire(), Csv.Amount(a.Amount), a.Currency,
                    a.TargetToken, a.TargetNetwork, a.AccountId, a.GateSessionId, a.TxRefId, a.ClosedByEventId, a.GateEnvironment,
                    Csv.Time(a.CreatedAt), Csv.Time(a.UpdatedAt), Csv.Time(a.ClosedAt), row.MatchedOn is { } match ? MatchedOn(match) : null,
                    money?.Paid.Amount, money?.Paid.Unit, money?.Received.Amount, money?.Received.Unit, money?.Fees.Amount, money?.Fees.Unit, r?.ExchangeRate,
                    r?.PaymentMethod, money?.WalletAddress, money?.MaskedBankAccount, r?.Network, r?.TransactionHash, explorer?.Url, r?.PermalinkUrl,
                    r?.LocalRailTransactionId, r?.GateRequestId]));
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
            await writer.WriteAsync(Csv.Line("id", "occurred_at", "actor_subject", "actor_name", "actor_role", "action", "attempt_id", "result", "detail", "reason", "run_id",
                "gate_request_id", "before", "after"));
            var rows = 0;
            await foreach (var e in audit.StreamAsync(filter, ct))
            {
                await writer.WriteAsync(Csv.Line(e.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Csv.Time(e.OccurredAt), e.ActorSubject, e.ActorName,
                    e.ActorRole, AuditListQuery.Wire(e.Action), e.AttemptId, AuditListQuery.Wire(e.Result), e.Detail, e.Reason, e.RunId,
                    e.GateRequestId, e.Before, e.After));
                if (++rows % 200 == 0)
                {
                    await writer.FlushAsync(ct);
                }
            }
        });
    }

    /// <summary>What one bulk run changed (its audit entries, which support may read for the run they ran or look at).</summary>
    internal static async Task<Results<PushStreamHttpResult, NotFound>> ExportBulkRun(string runId, HttpContext http, AuditLog audit, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!AuditListQuery.IsRunId(runId))
        {
            return TypedResults.NotFound();
        }

        var entries = await audit.ForRunAsync(runId, cancellationToken);
        if (entries.Count == 0)
        {
            return TypedResults.NotFound();
        }

        return Stream(http, Csv.FileName(runId, time.GetUtcNow()), async (writer, ct) =>
        {
            await writer.WriteAsync(Csv.Line("run_id", "attempt_id", "from", "to", "result", "gate_request_id", "occurred_at", "actor_subject", "actor_name", "detail"));
            foreach (var e in entries)
            {
                await writer.WriteAsync(Csv.Line(e.RunId, e.AttemptId, e.Before, e.After, AuditListQuery.Wire(e.Result), e.GateRequestId, Csv.Time(e.OccurredAt),
                    e.ActorSubject, e.ActorName, e.Detail));
            }
        });
    }

    public static string MatchedOn(SearchMatch match) => match switch
    {
        SearchMatch.AttemptId => "attempt_id",
        SearchMatch.GateSessionId => "gate_session_id",
        SearchMatch.TxRefId => "tx_refid",
        SearchMatch.EventId => "event_id",
        SearchMatch.WalletAddress => "wallet_address",
        SearchMatch.TransactionHash => "transaction_hash",
        SearchMatch.LocalRailTransactionId => "local_rail_transaction_id",
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
