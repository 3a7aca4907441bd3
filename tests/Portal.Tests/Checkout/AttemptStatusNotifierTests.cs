using Microsoft.Extensions.Logging.Abstractions;
using Portal.Core.Attempts;
using Portal.Core.LiveUpdates;

namespace Portal.Tests.Checkout;

public class AttemptStatusNotifierTests
{
    private readonly AttemptStatusNotifier _notifier = new(NullLogger<AttemptStatusNotifier>.Instance);

    [Fact]
    public async Task Watchers_of_an_attempt_hear_its_changes_and_only_its_changes()
    {
        var heard = new TaskCompletionSource<AttemptStatusChanged>(TaskCreationOptions.RunContinuationsAsynchronously);
        var others = 0;
        using var watch = _notifier.Subscribe("att_a", change => { heard.TrySetResult(change); return Task.CompletedTask; });
        using var other = _notifier.Subscribe("att_b", _ => { others++; return Task.CompletedTask; });

        _notifier.Publish(new AttemptStatusChanged("att_a", AttemptStatus.Fulfilled, AttemptStatus.Processing));

        (await heard.Task.WaitAsync(TimeSpan.FromSeconds(5))).Status.ShouldBe(AttemptStatus.Fulfilled);
        others.ShouldBe(0);
    }

    [Fact]
    public void A_disposed_subscription_hears_nothing_more()
    {
        var calls = 0;
        var watch = _notifier.Subscribe("att_a", _ => { calls++; return Task.CompletedTask; });
        watch.Dispose();
        watch.Dispose(); // twice is harmless

        _notifier.Publish(new AttemptStatusChanged("att_a", AttemptStatus.Failed, AttemptStatus.RequiresAction));

        calls.ShouldBe(0);
    }

    [Fact]
    public async Task A_failing_watcher_does_not_stop_the_others()
    {
        var heard = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var broken = _notifier.Subscribe("att_a", _ => throw new InvalidOperationException("page gone"));
        using var healthy = _notifier.Subscribe("att_a", _ => { heard.TrySetResult(); return Task.CompletedTask; });

        Should.NotThrow(() => _notifier.Publish(new AttemptStatusChanged("att_a", AttemptStatus.Cancelled, AttemptStatus.RequiresAction)));

        await heard.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
