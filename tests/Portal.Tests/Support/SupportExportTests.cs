using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Audit;
using Portal.Core.Checkout;
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

        rows[0].ShouldBe(["id", "occurred_at", "actor_subject", "actor_name", "actor_role", "action", "attempt_id", "result", "detail", "reason", "run_id"]);
        var row = rows.Skip(1).ShouldHaveSingleItem();
        row[2..9].ShouldBe([subject, "Exporter", "support", "cancel_session", "att_export", "changed", "requires_action → cancelled"]);
        row[9].ShouldBe("'=cmd|' /C calc'!A0, then call back");
    }

    private AttemptWriter Writer => factory.Services.GetRequiredService<AttemptWriter>();
}

public sealed class SupportExportTestsOnSqlite(PortalAppFactory factory) : SupportExportTests<PortalAppFactory>(factory);

public sealed class SupportExportTestsOnPostgreSql(PostgresPortalAppFactory factory) : SupportExportTests<PostgresPortalAppFactory>(factory);
