using Bunit;
using Portal.Components.Pages.Support;
using Portal.Core.Attempts;
using Portal.Core.Audit;
using Portal.Core.Reads;
using Portal.Core.Records;

namespace Portal.Tests.Support;

/// <summary>The bulk reconcile page: count, confirm, watch, summary; audited once for the run and once per change.</summary>
public sealed class BulkReconcilePageTests : SupportComponentTest
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
        [new("RateLimits:BulkReconcileReadsPerSecond", "1000")];

    [Fact]
    public async Task Counts_confirms_runs_and_sums_up_with_audit_entries_for_the_run_and_each_change()
    {
        var completed = await AttemptWithSessionAsync("gs_bulk_page_done", "completed");
        var open = await AttemptWithSessionAsync("gs_bulk_page_open");
        var unknown = await AttemptWithSessionAsync("gs_bulk_page_unknown_to_0gate", gateStatus: null); // 0Gate answers 404
        Clock.Advance(TimeSpan.FromSeconds(1));

        var cut = Render<BulkReconcilePage>();
        cut.WaitForAssertion(() => cut.Find("[data-testid=bulk-matching]").TextContent.ShouldContain("3 attempt(s)"));
        cut.FindAll("button").Single(b => b.TextContent.Trim().StartsWith("Reconcile 3 attempt", StringComparison.Ordinal)).Click();
        cut.Find("[data-testid=bulk-confirm]").TextContent.ShouldContain("Read 3 session(s) from 0Gate now?");
        Gate.SessionReads.ShouldBe(0); // nothing is read before the confirmation
        cut.FindAll("button").Single(b => b.TextContent.Trim() == "Start").Click();

        cut.WaitForAssertion(() => cut.Find("[data-testid=bulk-summary-message]").TextContent.ShouldBe("Done: 3 of 3 read: 1 changed, 1 unchanged, 1 failed."), TimeSpan.FromSeconds(15));
        (await Core.Get<AttemptReads>().GetAsync(completed.Id, default))!.Status.ShouldBe(AttemptStatus.Fulfilled);
        (await Core.Get<AttemptReads>().GetAsync(open.Id, default))!.Status.ShouldBe(AttemptStatus.RequiresAction);
        (await Core.Get<AttemptReads>().GetTimelineAsync(unknown.Id, default)).ShouldContain(e => e.Summary.StartsWith("Reconcile by Sam (bulk run bulk_", StringComparison.Ordinal));

        var log = await Core.Get<AuditLog>().QueryAsync(new AuditFilter(), 0, 50, default);
        var run = log.Entries.Single(e => e.Action == AuditAction.BulkReconcile);
        (run.Result, run.ActorSubject, run.AttemptId).ShouldBe((AuditResult.Completed, "sam", (string?)null));
        run.Detail.ShouldContain("3 of 3 read: 1 changed, 1 unchanged, 1 failed");
        var change = log.Entries.Single(e => e.Action == AuditAction.Reconcile);
        (change.AttemptId, change.Result, change.RunId).ShouldBe((completed.Id, AuditResult.Changed, run.RunId));
        log.Total.ShouldBe(2); // unchanged and failed attempts are counted in the run's entry, not logged one by one

        // The page lists what the run changed: the attempt, from → to in the status words, and 0Gate's request id; and offers the export.
        var rows = cut.FindAll("[data-testid=bulk-change-attempt]");
        rows.ShouldHaveSingleItem().TextContent.Trim().ShouldBe(completed.Id);
        cut.Find("[data-testid=bulk-change-states]").TextContent.ShouldContain("requires action");
        cut.Find("[data-testid=bulk-change-states]").TextContent.ShouldContain("fulfilled");
        change.GateRequestId.ShouldNotBeNull();
        cut.Find("[data-testid=bulk-change-request]").TextContent.ShouldContain(change.GateRequestId);
        (change.Before, change.After).ShouldBe(("requires_action", "fulfilled"));
        cut.Find("[data-testid=bulk-changes-export]").GetAttribute("href").ShouldBe($"/support/bulk-reconcile/runs/{run.RunId}.csv");
        cut.Markup.ShouldNotContain("is in the audit log"); // support cannot open the audit log: the page itself says what changed
    }
}
