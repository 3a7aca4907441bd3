using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Attempts;
using Portal.Core.Audit;
using Portal.Core.Checkout;
using Portal.Core.Records;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Support;

/// <summary>The CSV exports on the real host: who may download them, and that they hold every matching row, safely.</summary>
public abstract class SupportExportTests<TFactory>(TFactory factory) : IClassFixture<TFactory>
    where TFactory : PortalAppFactory
{
    private static readonly string[] AttemptHeader =
    [
        "attempt_id", "status", "needs_review", "flow", "amount", "currency", "target_token", "target_network", "account_id",
        "gate_session_id", "tx_refid", "closed_by_event_id", "environment", "created_at", "updated_at", "closed_at", "matched_on",
        "paid_amount", "paid_unit", "received_amount", "received_unit", "fees", "fee_currency", "exchange_rate", "payment_method",
        "wallet_address", "masked_bank_account", "network", "transaction_hash", "explorer_url", "permalink_url", "local_rail_transaction_id",
        "receipt_request_id",
    ];

    [Theory]
    [InlineData("/support/attempts.csv")]
    [InlineData("/admin/audit.csv")]
    public async Task An_anonymous_request_is_challenged_with_401_not_sent_a_page(string export)
    {
        var response = await factory.CreateBrowserlessClient().GetAsync(export);

        // A download, not a page: the cookie scheme's challenge for an endpoint like this is a plain 401.
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await response.Content.ReadAsStringAsync()).ShouldNotContain("attempt_id");
    }

    [Theory]
    [InlineData("/support/attempts.csv", "alice", "customer")]
    [InlineData("/admin/audit.csv", "alice", "customer")]
    [InlineData("/admin/audit.csv", "sam", "support")]
    public async Task Those_without_the_role_are_refused_with_403(string export, string subject, string role)
    {
        var client = await factory.SignedInClientAsync(subject, subject, role);

        var response = await client.GetAsync(export);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var body = await response.Content.ReadAsStringAsync();
        body.ShouldNotContain("attempt_id");
        body.ShouldNotContain("actor_subject");
    }

    [Fact]
    public async Task The_attempt_export_holds_every_matching_row_not_one_page()
    {
        const string account = "acct_export_many";
        for (var i = 0; i < 60; i++)
        {
            await Writer.CreateAsync(new NewAttempt(account, CheckoutFlow.OnRamp, 10m + i, "EUR", "USDC", "polygon"), default);
        }

        await Writer.CreateAsync(new NewAttempt("acct_export_other", CheckoutFlow.OnRamp, 1m, "EUR", "USDC", "polygon"), default);
        var sam = await factory.SignedInClientAsync("sam", "Sam", "support");

        var response = await sam.GetAsync($"/support/attempts.csv?q={account.ToUpperInvariant()}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.ToString().ShouldBe("text/csv; charset=utf-8");
        response.Content.Headers.ContentDisposition!.DispositionType.ShouldBe("attachment");
        (response.Content.Headers.ContentDisposition.FileNameStar ?? response.Content.Headers.ContentDisposition.FileName)!.Trim('"').ShouldMatch(@"^attempts-\d{8}-\d{4}\.csv$");
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        var rows = CsvText.Parse(await response.Content.ReadAsStringAsync());
        rows[0].ShouldBe(AttemptHeader);
        rows.Count.ShouldBe(61);
        rows.Skip(1).ShouldAllBe(r => r[8] == account && r[16] == "account_id");
        rows.Skip(1).Select(r => r[13]).ShouldBeInOrder(SortDirection.Descending); // newest first, as the list
    }

    [Fact]
    public async Task The_attempt_export_applies_the_lists_filters_and_writes_exact_invariant_values()
    {
        const string account = "acct_export_filters";
        var sell = await Writer.CreateAsync(new NewAttempt(account, CheckoutFlow.OffRamp, 0.00012345m, "ETH", "EUR", null), default);
        sell = (await Writer.AttachSessionAsync(sell.Id, "gs_export_sell_" + Guid.NewGuid().ToString("n"), null, default)).Attempt!;
        await Writer.CreateAsync(new NewAttempt(account, CheckoutFlow.OnRamp, 5m, "EUR", "USDC", "polygon"), default); // pending_session buy
        var sam = await factory.SignedInClientAsync("sam", "Sam", "support");

        var rows = CsvText.Parse(await sam.GetStringAsync($"/support/attempts.csv?q={account}&status=requires_action&flow=off_ramp&review=no&range=24h"));

        rows.Count.ShouldBe(2);
        var row = rows[1];
        (row[0], row[1], row[2], row[3], row[4], row[5], row[9]).ShouldBe((sell.Id, "requires_action", "no", "off_ramp", "0.00012345", "ETH", sell.GateSessionId));
        row[13].ShouldMatch(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$");
    }

    [Fact]
    public async Task The_attempt_export_carries_the_receipt_as_the_attempt_page_shows_it()
    {
        const string account = "acct_export_receipt";
        var sell = await Writer.CreateAsync(new NewAttempt(account, CheckoutFlow.OffRamp, 18.5m, "USDC", "BRL", "polygon"), default);
        var sessionId = "gs_export_receipt_" + Guid.NewGuid().ToString("n");
        await Writer.AttachSessionAsync(sell.Id, sessionId, null, default);
        await Writer.UpdateAsync(sell.Id, (a, now) => a.Close(AttemptStatus.Fulfilled, new CloseCause(AttemptCloser.Webhook, "test", null, "tx_" + sessionId), now), default);
        var hash = "0x" + new string('c', 64);
        await Writer.StoreReceiptAsync(new AttemptReceipt(sell.Id, "tx_" + sessionId, "SELL", DateTimeOffset.UtcNow)
        {
            Token = "USDC", TokenAmount = "18.5", Network = "polygon", Currency = "BRL", FiatAmount = "99.90", TotalFees = "1.50", TotalPayOrReceive = "98.40",
            ExchangeRate = "5.4", PaymentMethod = "PIX", MaskedBankAccount = "•••• 4567", TransactionHash = hash, LocalRailTransactionId = "lr_export_1",
            PermalinkUrl = "https://gate.test/r/x",
        }, "req_export_receipt", default);
        var sam = await factory.SignedInClientAsync("sam", "Sam", "support");

        var rows = CsvText.Parse(await sam.GetStringAsync($"/support/attempts.csv?q={account}"));

        var row = rows.Skip(1).ShouldHaveSingleItem();
        var cells = AttemptHeader.Zip(row).ToDictionary(p => p.First, p => p.Second);
        (cells["paid_amount"], cells["paid_unit"], cells["received_amount"], cells["received_unit"]).ShouldBe(("18.5", "USDC", "98.40", "BRL"));
        (cells["fees"], cells["fee_currency"], cells["exchange_rate"], cells["payment_method"]).ShouldBe(("1.50", "BRL", "5.4", "PIX"));
        (cells["wallet_address"], cells["masked_bank_account"], cells["network"]).ShouldBe(("", "•••• 4567", "polygon"));
        (cells["transaction_hash"], cells["local_rail_transaction_id"], cells["receipt_request_id"]).ShouldBe((hash, "lr_export_1", "req_export_receipt"));
        cells["explorer_url"].ShouldBe($"https://amoy.polygonscan.com/tx/{hash}"); // test mode: the test explorer
        cells["permalink_url"].ShouldBe("https://gate.test/r/x");
    }

    [Fact]
    public async Task Cells_a_spreadsheet_would_run_as_formulas_are_defused()
    {
        var formula = await Writer.CreateAsync(new NewAttempt("=HYPERLINK(\"http://evil.example\",\"x\")", CheckoutFlow.OnRamp, 1m, "EUR", null, null), default);
        var plus = await Writer.CreateAsync(new NewAttempt("+acct_plus", CheckoutFlow.OnRamp, 1m, "EUR", null, null), default);
        var minus = await Writer.CreateAsync(new NewAttempt("-acct_minus", CheckoutFlow.OnRamp, 1m, "EUR", null, null), default);
        var at = await Writer.CreateAsync(new NewAttempt("@acct_at", CheckoutFlow.OnRamp, 1m, "EUR", null, null), default);
        var sam = await factory.SignedInClientAsync("sam", "Sam", "support");

        var text = await sam.GetStringAsync("/support/attempts.csv?range=1h");
        var accounts = CsvText.Parse(text).Skip(1).ToDictionary(r => r[0], r => r[8]);

        accounts[formula.Id].ShouldBe("'=HYPERLINK(\"http://evil.example\",\"x\")");
        accounts[plus.Id].ShouldBe("'+acct_plus");
        accounts[minus.Id].ShouldBe("'-acct_minus");
        accounts[at.Id].ShouldBe("'@acct_at");
        text.ShouldNotContain("\n=HYPERLINK");
        text.ShouldNotContain(",=HYPERLINK");
    }

    [Theory]
    [InlineData("/support/attempts.csv?status=nope", "Unknown status 'nope'")]
    [InlineData("/support/attempts.csv?q=has%20space", "Ids have no spaces")]
    [InlineData("/support/attempts.csv?range=2w", "Unknown range '2w'")]
    [InlineData("/support/attempts.csv?from=23-11-2026", "'from' must be a date like 2026-11-23")]
    [InlineData("/support/attempts.csv?sort=amount", "Unknown sort 'amount'")]
    [InlineData("/admin/audit.csv?action=delete_everything", "Unknown action 'delete_everything'")]
    public async Task A_filter_that_cannot_be_read_answers_400_naming_it(string export, string problem)
    {
        var ada = await factory.SignedInClientAsync("ada", "Ada", "admin");

        var response = await ada.GetAsync(export);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await response.Content.ReadAsStringAsync()).ShouldContain(problem);
    }

    [Fact]
    public async Task The_audit_export_lists_who_did_what_with_reasons_defused()
    {
        var subject = "exporter_" + Guid.NewGuid().ToString("n")[..8];
        var log = factory.Services.GetRequiredService<AuditLog>();
        await log.AppendAsync(new AuditEntry(new StaffMember(subject, "Exporter", "support"), AuditAction.CancelSession, "att_export", AuditResult.Changed,
            "requires_action → cancelled", DateTimeOffset.UtcNow, "=cmd|' /C calc'!A0, then call back"), default);
        var ada = await factory.SignedInClientAsync("ada", "Ada", "admin");

        var rows = CsvText.Parse(await ada.GetStringAsync($"/admin/audit.csv?actor={subject}&action=cancel_session&range=24h"));

        rows[0].ShouldBe(["id", "occurred_at", "actor_subject", "actor_name", "actor_role", "action", "attempt_id", "result", "detail", "reason", "run_id",
            "gate_request_id", "before", "after"]);
        var row = rows.Skip(1).ShouldHaveSingleItem();
        row[2..9].ShouldBe([subject, "Exporter", "support", "cancel_session", "att_export", "changed", "requires_action → cancelled"]);
        row[9].ShouldBe("'=cmd|' /C calc'!A0, then call back");
    }

    [Fact]
    public async Task A_bulk_runs_changes_export_to_support_from_the_audit_log()
    {
        var runId = "bulk_" + Guid.NewGuid().ToString("n")[..20];
        var log = factory.Services.GetRequiredService<AuditLog>();
        await log.AppendAsync(new AuditEntry(new StaffMember("sam", "Sam", "support"), AuditAction.Reconcile, "att_bulk_export", AuditResult.Changed,
            "processing → fulfilled", DateTimeOffset.UtcNow, runId: runId, gateRequestId: "req_bulk_1", before: "processing", after: "fulfilled"), default);
        await log.AppendAsync(new AuditEntry(new StaffMember("sam", "Sam", "support"), AuditAction.BulkReconcile, null, AuditResult.Completed,
            "1 of 1 read: 1 changed", DateTimeOffset.UtcNow, runId: runId), default);
        var sam = await factory.SignedInClientAsync("sam", "Sam", "support");

        var rows = CsvText.Parse(await sam.GetStringAsync($"/support/bulk-reconcile/runs/{runId}.csv"));
        var unknown = await sam.GetAsync("/support/bulk-reconcile/runs/bulk_nope.csv");
        var alice = await (await factory.SignedInClientAsync("alice", "Alice", "customer")).GetAsync($"/support/bulk-reconcile/runs/{runId}.csv");

        rows[0].ShouldBe(["run_id", "attempt_id", "from", "to", "result", "gate_request_id", "occurred_at", "actor_subject", "actor_name", "detail"]);
        rows[1][..6].ShouldBe([runId, "att_bulk_export", "processing", "fulfilled", "changed", "req_bulk_1"]);
        rows[2][..5].ShouldBe([runId, "", "", "", "completed"]);
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        alice.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    private AttemptWriter Writer => factory.Services.GetRequiredService<AttemptWriter>();
}

public sealed class SupportExportTestsOnSqlite(PortalAppFactory factory) : SupportExportTests<PortalAppFactory>(factory);

public sealed class SupportExportTestsOnPostgreSql(PostgresPortalAppFactory factory) : SupportExportTests<PostgresPortalAppFactory>(factory);
