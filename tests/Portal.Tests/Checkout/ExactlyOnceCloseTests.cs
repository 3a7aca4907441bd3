using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Attempts;
using Portal.Core.Checkout;
using Portal.Core.LiveUpdates;
using Portal.Core.Persistence;
using Portal.Core.Reads;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Checkout;

/// <summary>
/// Every closer (webhook, reconciliation, the customer's cancel) goes through the one write path: whichever commits
/// first closes the attempt, the others find it closed; one state change, one announcement, a true "from" state.
/// </summary>
public abstract class ExactlyOnceCloseTests<TFactory> : IClassFixture<TFactory>
    where TFactory : ScriptedGateFactory
{
    private readonly TFactory _app;

    protected ExactlyOnceCloseTests(TFactory app)
    {
        _app = app;
        app.Gate.Reset();
    }

    [Fact]
    public async Task A_webhook_racing_a_reconcile_and_a_cancel_closes_the_attempt_once()
    {
        var attempt = await OpenAttemptAsync();
        _app.Gate.SetSession(attempt.GateSessionId!, "completed", "tx_race"); // what every reader of 0Gate will see
        var announcements = new List<AttemptStatusChanged>();
        using var watch = _app.Services.GetRequiredService<AttemptStatusNotifier>().Subscribe(attempt.Id, change =>
        {
            lock (announcements)
            {
                announcements.Add(change);
            }

            return Task.CompletedTask;
        });
        var client = _app.CreateClient();
        var webhook = $$$"""{"id":"evt_{{{Guid.NewGuid():n}}}","type":"gate_session.completed","data":{"id":"{{{attempt.GateSessionId}}}","user_reference":"{{{attempt.Id}}}","tx_refid":"tx_race"}}""";

        using var start = new ManualResetEventSlim();
        await Task.WhenAll(
            Task.Run(async () => { start.Wait(); (await client.SendAsync(TestWebhookSigner.SignedDelivery(webhook))).StatusCode.ShouldBe(HttpStatusCode.OK); }),
            Task.Run(async () => { start.Wait(); await WithCheckoutAsync(c => c.ReconcileAsync(attempt, "race test", default)); }),
            Task.Run(async () => { start.Wait(); await WithCheckoutAsync(c => c.CancelAsync(attempt, default)); }),
            Task.Run(start.Set));

        var stored = await _app.Services.GetRequiredService<AttemptReads>().GetAsync(attempt.Id, default);
        stored!.Status.ShouldBe(AttemptStatus.Fulfilled);
        stored.TxRefId.ShouldBe("tx_race");
        var closes = (await _app.Services.GetRequiredService<AttemptReads>().GetTimelineAsync(attempt.Id, default))
            .Where(e => e.Kind == TimelineKind.StateChanged && e.ToStatus is { } to && to.IsTerminal()).ToList();
        closes.ShouldHaveSingleItem().FromStatus.ShouldBe(AttemptStatus.RequiresAction);
        announcements.Count(a => a.Fulfilled).ShouldBe(1);
        stored.NeedsReview.ShouldBeFalse(); // all three said the same thing
    }

    [Fact]
    public async Task Status_is_a_concurrency_token_so_a_stale_save_loses_instead_of_overwriting()
    {
        var attempt = await OpenAttemptAsync();
        var factory = _app.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        await using var first = await factory.CreateDbContextAsync();
        await using var second = await factory.CreateDbContextAsync();
        var a = await first.Attempts.SingleAsync(x => x.Id == attempt.Id);
        var b = await second.Attempts.SingleAsync(x => x.Id == attempt.Id);

        a.Close(AttemptStatus.Fulfilled, new CloseCause(AttemptCloser.Webhook, "first"), DateTimeOffset.UtcNow);
        await first.SaveChangesAsync();
        b.Close(AttemptStatus.Cancelled, new CloseCause(AttemptCloser.CancelResponse, "second, from a stale read"), DateTimeOffset.UtcNow);

        await Should.ThrowAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());
        (await _app.Services.GetRequiredService<AttemptReads>().GetAsync(attempt.Id, default))!.Status.ShouldBe(AttemptStatus.Fulfilled);
    }

    [Fact]
    public async Task A_lost_race_runs_the_work_again_on_fresh_state_and_answers_already_closed()
    {
        var attempt = await OpenAttemptAsync();
        var writer = _app.Services.GetRequiredService<IStoreWriter>();
        var runs = 0;

        var outcome = await writer.WriteAsync(async (db, ct) =>
        {
            runs++;
            var current = await db.Attempts.SingleAsync(x => x.Id == attempt.Id, ct);
            if (runs == 1)
            {
                // Another instance closed it between this read and this save (what PostgreSQL's row check reports).
                await db.Attempts.Where(a => a.Id == attempt.Id).ExecuteUpdateAsync(set => set.SetProperty(a => a.Status, AttemptStatus.Failed), ct);
                await db.SaveChangesAsync(ct);
                throw new DbUpdateConcurrencyException("simulated: the row no longer matched the original status");
            }

            return current.Close(AttemptStatus.Cancelled, new CloseCause(AttemptCloser.CancelResponse, "late"), DateTimeOffset.UtcNow);
        }, default);

        runs.ShouldBe(2);
        outcome.ShouldBe(ChangeOutcome.Moved); // the simulated change was rolled back with its transaction, so run 2 saw it open
    }

    private async Task<CheckoutAttempt> OpenAttemptAsync()
    {
        var writer = _app.Services.GetRequiredService<AttemptWriter>();
        var attempt = await writer.CreateAsync(new NewAttempt("acct-race", CheckoutFlow.OnRamp, 10m, "EUR", "USDC", "base"), default);
        var sessionId = "gs_" + Guid.NewGuid().ToString("n");
        _app.Gate.SetSession(sessionId, "open");
        return (await writer.AttachSessionAsync(attempt.Id, sessionId, null, default)).Attempt!;
    }

    private async Task WithCheckoutAsync(Func<CheckoutService, Task> action)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        await action(scope.ServiceProvider.GetRequiredService<CheckoutService>());
    }
}

public sealed class ExactlyOnceCloseTestsOnSqlite(ExactlyOnceCloseTestsOnSqlite.Factory app) : ExactlyOnceCloseTests<ExactlyOnceCloseTestsOnSqlite.Factory>(app)
{
    public sealed class Factory : ScriptedGateFactory;
}

public sealed class ExactlyOnceCloseTestsOnPostgreSql(ExactlyOnceCloseTestsOnPostgreSql.Factory app) : ExactlyOnceCloseTests<ExactlyOnceCloseTestsOnPostgreSql.Factory>(app)
{
    public sealed class Factory : ScriptedGateFactory
    {
        public override StoreProvider Provider => StoreProvider.PostgreSql;
    }
}
