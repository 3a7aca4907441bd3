using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Portal.Components.Pages.Admin;
using Portal.Core.Attempts;
using Portal.Core.Audit;
using Portal.Core.Records;

namespace Portal.Tests.Support;

/// <summary>The admin audit log in bUnit: every kind of change on the record, filtered by the address.</summary>
public sealed class AuditLogPageTests : SupportComponentTest
{
    private NavigationManager Navigation => Services.GetRequiredService<NavigationManager>();

    private AuditLog Log => Core.Get<AuditLog>();

    [Fact]
    public async Task An_allowed_origin_change_shows_who_the_lists_before_and_after_and_0Gates_request_id()
    {
        await Log.AppendAsync(new AuditEntry(Staff.Ada, AuditAction.ChangeAllowedOrigins, null, AuditResult.Changed, "removed https://old.example",
            Clock.GetUtcNow(), gateRequestId: "req_origins_1", before: "https://old.example\nhttps://shop.example", after: "https://shop.example"), default);
        await Log.AppendAsync(new AuditEntry(Staff.Sam, AuditAction.Reconcile, "att_other", AuditResult.Unchanged, "stays processing", Clock.GetUtcNow()), default);
        Navigation.NavigateTo("/admin/audit?action=change_allowed_origins");

        var cut = Render<AuditLogPage>();

        cut.WaitForAssertion(() => cut.Find("[data-testid=audit-grid]").TextContent.ShouldContain("change allowed origins"));
        var grid = cut.Find("[data-testid=audit-grid]");
        grid.TextContent.ShouldContain("Ada");
        grid.TextContent.ShouldNotContain("att_other");
        cut.Find("[data-testid=audit-before]").TextContent.ShouldBe("https://old.example\nhttps://shop.example");
        cut.Find("[data-testid=audit-after]").TextContent.ShouldBe("https://shop.example");
        cut.Find("[data-testid=audit-request-id]").TextContent.ShouldBe("req_origins_1");
        cut.Find("[data-testid=export-audit-csv]").GetAttribute("href").ShouldBe("/admin/audit.csv?action=change_allowed_origins");
    }

    [Fact]
    public async Task The_log_filters_by_attempt_and_by_bulk_run_from_the_address()
    {
        var attemptId = AttemptId.New();
        await Log.AppendAsync(new AuditEntry(Staff.Sam, AuditAction.Reconcile, attemptId, AuditResult.Changed, "processing → fulfilled", Clock.GetUtcNow(),
            runId: "bulk_page1", before: "processing", after: "fulfilled"), default);
        await Log.AppendAsync(new AuditEntry(Staff.Sam, AuditAction.BulkReconcile, null, AuditResult.Completed, "1 of 1 read", Clock.GetUtcNow(), runId: "bulk_page1"), default);
        await Log.AppendAsync(new AuditEntry(Staff.Sam, AuditAction.CancelSession, AttemptId.New(), AuditResult.Changed, "cancelled", Clock.GetUtcNow()), default);

        Navigation.NavigateTo("/admin/audit?run=bulk_page1");
        var cut = Render<AuditLogPage>();
        cut.WaitForAssertion(() => cut.FindAll("[data-testid=audit-grid] tbody tr").Count.ShouldBe(2));
        cut.Find("[data-testid=audit-grid]").TextContent.ShouldNotContain("cancel session");

        Navigation.NavigateTo($"/admin/audit?attempt={attemptId}");
        cut.WaitForAssertion(() => cut.FindAll("[data-testid=audit-grid] tbody tr").Count.ShouldBe(1));
        cut.Find("[data-testid=audit-before-after]").TextContent.ShouldContain("processing");

        Navigation.NavigateTo("/admin/audit?attempt=nope&run=x");
        cut.WaitForAssertion(() => cut.Find("[data-testid=filter-problems]").TextContent.ShouldContain("'nope' is not an attempt id"));
        cut.Find("[data-testid=filter-problems]").TextContent.ShouldContain("'x' is not a bulk run id");
    }
}
