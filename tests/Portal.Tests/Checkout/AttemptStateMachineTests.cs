using Portal.Core.Attempts;

namespace Portal.Tests.Checkout;

public class AttemptStateMachineTests
{
    // The whole table (docs/architecture.md#checkout-attempt-state-machine): anything not listed here must be refused.
    private static readonly HashSet<(AttemptStatus From, AttemptStatus To)> Allowed =
    [
        (AttemptStatus.PendingSession, AttemptStatus.RequiresAction),
        (AttemptStatus.RequiresAction, AttemptStatus.Processing),
        (AttemptStatus.PendingSession, AttemptStatus.Fulfilled),
        (AttemptStatus.PendingSession, AttemptStatus.Failed),
        (AttemptStatus.PendingSession, AttemptStatus.Expired),
        (AttemptStatus.PendingSession, AttemptStatus.Cancelled),
        (AttemptStatus.RequiresAction, AttemptStatus.Fulfilled),
        (AttemptStatus.RequiresAction, AttemptStatus.Failed),
        (AttemptStatus.RequiresAction, AttemptStatus.Expired),
        (AttemptStatus.RequiresAction, AttemptStatus.Cancelled),
        (AttemptStatus.Processing, AttemptStatus.Fulfilled),
        (AttemptStatus.Processing, AttemptStatus.Failed),
        (AttemptStatus.Processing, AttemptStatus.Expired),
        (AttemptStatus.Processing, AttemptStatus.Cancelled),
    ];

    public static TheoryData<AttemptStatus, AttemptStatus> EveryPair()
    {
        var data = new TheoryData<AttemptStatus, AttemptStatus>();
        foreach (var from in Enum.GetValues<AttemptStatus>())
        {
            foreach (var to in Enum.GetValues<AttemptStatus>())
            {
                data.Add(from, to);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void Transition_is_allowed_exactly_when_the_design_lists_it(AttemptStatus from, AttemptStatus to)
    {
        AttemptStateMachine.CanTransition(from, to).ShouldBe(Allowed.Contains((from, to)), $"{from} → {to}");
    }

    [Theory]
    [InlineData(AttemptStatus.Fulfilled)]
    [InlineData(AttemptStatus.Failed)]
    [InlineData(AttemptStatus.Expired)]
    [InlineData(AttemptStatus.Cancelled)]
    public void Terminal_states_never_change_again(AttemptStatus terminal)
    {
        terminal.IsTerminal().ShouldBeTrue();
        Enum.GetValues<AttemptStatus>().ShouldAllBe(to => !AttemptStateMachine.CanTransition(terminal, to));
    }

    [Fact]
    public void Wire_names_round_trip()
    {
        foreach (var status in Enum.GetValues<AttemptStatus>())
        {
            AttemptStatusNames.FromWire(status.ToWire()).ShouldBe(status);
        }

        AttemptStatus.PendingSession.ToWire().ShouldBe("pending_session");
        AttemptStatus.RequiresAction.ToWire().ShouldBe("requires_action");
        Should.Throw<ArgumentOutOfRangeException>(() => AttemptStatusNames.FromWire("paid"));
    }
}
