using Portal.Core.Attempts;

namespace Portal.Tests.Checkout;

public class CheckoutAttemptTests
{
    [Fact]
    public void Ids_are_opaque_random_and_128_bits()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => AttemptId.New()).ToList();

        ids.Distinct().Count().ShouldBe(1000);
        ids.ShouldAllBe(id => AttemptId.IsWellFormed(id));
        ids[0].Length.ShouldBe("att_".Length + 26); // 26 base32 characters carry 130 bits ≥ 128 random bits
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("att_")]
    [InlineData("att_../../etc/passwd")]
    [InlineData("ATT_aaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("att_AAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("att_aaaaaaaaaaaaaaaaaaaaaaaaa1")]
    public void Malformed_ids_are_rejected(string? id) => AttemptId.IsWellFormed(id).ShouldBeFalse();

    [Fact]
    public void A_new_attempt_starts_pending_and_derives_a_stable_idempotency_key()
    {
        var now = DateTimeOffset.UtcNow;
        var attempt = new CheckoutAttempt("user-1", CheckoutFlow.OffRamp, 0.5m, "ETH", "EUR", "ethereum", null, now);
        var other = new CheckoutAttempt("user-1", CheckoutFlow.OffRamp, 0.5m, "ETH", "EUR", "ethereum", null, now);

        attempt.Status.ShouldBe(AttemptStatus.PendingSession);
        attempt.IsTerminal.ShouldBeFalse();
        attempt.SessionIdempotencyKey.ShouldBe(attempt.SessionIdempotencyKey);
        attempt.SessionIdempotencyKey.ShouldNotBe(other.SessionIdempotencyKey);
        attempt.SessionIdempotencyKey.ToString().ShouldMatch("^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
    }

    [Fact]
    public void Amount_must_be_positive() =>
        Should.Throw<ArgumentOutOfRangeException>(() => new CheckoutAttempt("u", CheckoutFlow.OnRamp, 0m, "EUR", "USDC", "base", null, DateTimeOffset.UtcNow));
}

/// <summary>The aggregate's guarded methods: each checks the current state and produces its own timeline lines.</summary>
public class CheckoutAttemptAggregateTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static CheckoutAttempt Attached(string session = "gs_1")
    {
        var attempt = new CheckoutAttempt("acct", CheckoutFlow.OnRamp, 10.50m, "EUR", "USDC", "base", null, At);
        attempt.AttachSession(session, At, "attached").ShouldBe(ChangeOutcome.Moved);
        return attempt;
    }

    [Fact]
    public void Creation_and_attaching_are_on_the_timeline_with_their_true_from_state()
    {
        var attempt = Attached();

        attempt.Status.ShouldBe(AttemptStatus.RequiresAction);
        attempt.NewTimelineEntries.Select(e => (e.FromStatus, e.ToStatus)).ShouldBe([(null, AttemptStatus.PendingSession), (AttemptStatus.PendingSession, AttemptStatus.RequiresAction)]);
    }

    [Fact]
    public void Attaching_the_same_session_again_changes_nothing_and_another_session_is_refused_and_flagged()
    {
        var attempt = Attached("gs_1");

        attempt.AttachSession("gs_1", At, "again").ShouldBe(ChangeOutcome.Unchanged);
        attempt.AttachSession("gs_2", At, "other").ShouldBe(ChangeOutcome.Conflict);

        attempt.GateSessionId.ShouldBe("gs_1");
        attempt.NeedsReview.ShouldBeTrue();
    }

    [Fact]
    public void Returning_moves_requires_action_to_processing_once()
    {
        var attempt = Attached();

        attempt.MarkReturned(At).ShouldBe(ChangeOutcome.Moved);
        attempt.MarkReturned(At).ShouldBe(ChangeOutcome.Unchanged);
        attempt.Status.ShouldBe(AttemptStatus.Processing);
    }

    [Fact]
    public void Closing_records_the_closer_and_never_changes_a_closed_attempt()
    {
        var attempt = Attached();
        attempt.MarkReturned(At);

        attempt.Close(AttemptStatus.Fulfilled, new CloseCause(AttemptCloser.Webhook, "gate_session.completed", "evt_1", "tx_1"), At).ShouldBe(ChangeOutcome.Moved);
        attempt.Close(AttemptStatus.Fulfilled, new CloseCause(AttemptCloser.SessionRead, "read"), At).ShouldBe(ChangeOutcome.AlreadyClosed);
        attempt.Close(AttemptStatus.Cancelled, new CloseCause(AttemptCloser.CancelResponse, "cancel"), At).ShouldBe(ChangeOutcome.Conflict);
        attempt.MarkReturned(At).ShouldBe(ChangeOutcome.Unchanged);

        attempt.Status.ShouldBe(AttemptStatus.Fulfilled);
        attempt.ClosedBy.ShouldBe(AttemptCloser.Webhook);
        attempt.ClosedByEventId.ShouldBe("evt_1");
        attempt.TxRefId.ShouldBe("tx_1");
        attempt.NewTimelineEntries.Last(e => e.Kind == TimelineKind.StateChanged).FromStatus.ShouldBe(AttemptStatus.Processing);
        attempt.NewTimelineEntries.Count(e => e.ToStatus == AttemptStatus.Fulfilled).ShouldBe(1);
    }

    [Fact]
    public void Only_a_terminal_status_closes()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => Attached().Close(AttemptStatus.Processing, new CloseCause(AttemptCloser.Webhook, "x"), At));
    }

    [Fact]
    public void Verification_is_noted_while_open_and_ignored_once_closed()
    {
        var attempt = Attached();

        attempt.NoteVerificationRequired(At).ShouldBe(ChangeOutcome.Moved);
        attempt.AwaitsVerification.ShouldBeTrue();
        attempt.Close(AttemptStatus.Failed, new CloseCause(AttemptCloser.Webhook, "gate_session.failed"), At);

        attempt.AwaitsVerification.ShouldBeFalse();
        attempt.NoteVerificationRequired(At).ShouldBe(ChangeOutcome.Unchanged);
    }

    [Fact]
    public void A_review_is_resolved_once_by_whoever_is_first()
    {
        var attempt = Attached();
        attempt.FlagConflict(At);

        attempt.ResolveReview("Sam", "checked", At).ShouldBe(ChangeOutcome.Moved);
        attempt.ResolveReview("Ada", null, At).ShouldBe(ChangeOutcome.Unchanged);

        attempt.NewTimelineEntries.Where(e => e.Kind == TimelineKind.Note).Select(e => e.Summary).ShouldBe(["Review resolved by Sam: checked"]);
    }

    [Fact]
    public void Lines_for_another_attempt_are_refused() =>
        Should.Throw<ArgumentException>(() => Attached().Record(new TimelineEntry("att_other", TimelineKind.Note, "x", At)));
}
