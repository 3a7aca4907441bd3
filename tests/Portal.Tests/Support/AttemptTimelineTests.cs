using Bunit;
using Portal.Components.Support;
using Portal.Core.Attempts;
using Portal.Core.Reads;
using Portal.Tests.Components;

namespace Portal.Tests.Support;

public sealed class AttemptTimelineTests : PortalComponentTest
{
    private static readonly DateTimeOffset At = new(2026, 11, 23, 10, 15, 30, TimeSpan.Zero);

    [Fact]
    public void Each_entry_shows_time_kind_summary_transition_event_and_request_id_in_order()
    {
        TimelineEntry[] entries =
        [
            TimelineEntry.StateChange("att_x", AttemptStatus.Processing, AttemptStatus.Fulfilled, "gate_session.completed", At),
            new("att_x", TimelineKind.EventIgnoredAfterTerminal, "gate_session.failed after fulfilled: not applied", At.AddMinutes(2))
            {
                EventId = "evt_late_1",
                EventType = "gate_session.failed",
            },
            new("att_x", TimelineKind.GateRequest, "0Gate session read (requested by Sam in support): completed", At.AddMinutes(3))
            {
                GateRequestId = "req_abc123",
                GateSessionId = "gs_1",
            },
        ];

        var cut = Render<AttemptTimeline>(p => p.Add(t => t.Entries, [.. entries.Select(TimelineRow.From)]));

        var rows = cut.FindAll("[data-testid=attempt-timeline] tbody tr");
        rows.Count.ShouldBe(3);
        rows[0].TextContent.ShouldContain("2026-11-23 10:15:30 UTC");
        rows[0].TextContent.ShouldContain("state_changed");
        rows[0].TextContent.ShouldContain("processing → fulfilled");
        rows[1].TextContent.ShouldContain("event_ignored_after_terminal");
        rows[1].TextContent.ShouldContain("evt_late_1");
        rows[1].TextContent.ShouldContain("gate_session.failed");
        rows[1].TextContent.ShouldContain("not applied");
        rows[2].TextContent.ShouldContain("gate_request");
        rows[2].TextContent.ShouldContain("req_abc123");
        rows[2].TextContent.ShouldContain("2026-11-23 10:18:30 UTC");

        // Every id on the timeline can be copied, like the ids in the facts.
        rows[0].QuerySelectorAll("[data-testid=copy-button]").ShouldBeEmpty();
        rows[1].QuerySelector("[data-testid=copy-button]")!.GetAttribute("aria-label").ShouldBe("Copy event id");
        rows[2].QuerySelector("[data-testid=copy-button]")!.GetAttribute("aria-label").ShouldBe("Copy 0Gate request id");
    }

    [Fact]
    public void An_empty_timeline_says_so()
    {
        var cut = Render<AttemptTimeline>(p => p.Add(t => t.Entries, Array.Empty<TimelineRow>()));

        cut.Markup.ShouldContain("No timeline entries.");
    }

    [Fact]
    public void Facts_show_every_id_and_the_review_flag()
    {
        var attempt = new CheckoutAttempt("acct_alice", CheckoutFlow.OffRamp, 0.5m, "ETH", "EUR", null, null, At);

        var cut = Render<AttemptFacts>(p => p.Add(f => f.Detail, AttemptDetailView.From(new AttemptDetail(attempt, []))));

        var text = cut.Find("[data-testid=attempt-facts]").TextContent;
        text.ShouldContain(attempt.Id);
        text.ShouldContain("acct_alice");
        text.ShouldContain("Sell (off_ramp)");
        text.ShouldContain("0.5 ETH");
        text.ShouldContain("pending session");
        text.ShouldContain("Closing event id");
        cut.FindAll("[data-testid=needs-review]").ShouldBeEmpty();
    }
}
