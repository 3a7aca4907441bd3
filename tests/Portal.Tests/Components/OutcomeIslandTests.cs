using System.Security.Claims;
using Bunit;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Portal.Checkout;
using Portal.Components.Checkout;
using Portal.Core;
using Portal.Core.Attempts;
using Portal.Core.Checkout;
using Portal.Core.Hosting;
using Portal.Core.LiveUpdates;
using Portal.Core.Persistence;
using Portal.Core.Reads;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Components;

/// <summary>
/// The outcome page's interactive island on the real store (a temp SQLite file), the real notifier and the real status
/// cache: it follows its attempt by push, falls back to the 3 s poll, and however many islands are open on one
/// attempt, a change costs one store read.
/// </summary>
public sealed class OutcomeIslandTests : PortalComponentTest
{
    private readonly string _directory = Directory.CreateTempSubdirectory("portal-outcome-").FullName;
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly StatementRecorder _statements = new();
    private readonly ServiceProvider _core;

    public OutcomeIslandTests()
    {
        // The base has started bUnit's own container already: Portal.Core comes from a provider of its own.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Portal"] = $"Data Source={Path.Combine(_directory, "portal.db")}",
            ["Gate:ApiBaseUrl"] = "http://127.0.0.1:9",
            ["Gate:HostedBaseUrl"] = "http://127.0.0.1:9",
            ["Gate:SecretKey"] = "sk_test_outcome",
            ["Gate:PublishableKey"] = "pk_test_outcome",
            ["Gate:WebhookSecrets:0"] = PortalAppFactory.WebhookSecret,
        }).Build();
        var core = new ServiceCollection();
        core.AddSingleton<IConfiguration>(configuration);
        core.AddSingleton<TimeProvider>(_time);
        core.AddLogging();
        _statements.AddTo(core);
        core.AddPortalCoreServices(configuration, _directory);
        core.AddScoped<AttemptAccess>();
        core.AddScoped<OutcomeVisit>();
        core.AddSingleton<SupportContact>();
        _core = core.BuildServiceProvider();
        Services.AddFallbackServiceProvider(_core);
        Authorization.SetAuthorizing(); // who is signed in is answered only when the test says so
    }

    private AttemptWriter Writer => _core.GetRequiredService<AttemptWriter>();

    [Fact]
    public async Task An_island_whose_first_read_came_after_its_first_render_still_hears_of_the_close()
    {
        var attempt = await ProcessingAttemptAsync();

        // Without the prerender's state (lost, say) the island reads itself; its first render (and after-render) comes
        // while it still waits for who is signed in, as on a slow store or a loaded machine: the read comes afterwards.
        var cut = Render<OutcomeIsland>(p => p.Add(c => c.AttemptId, attempt.Id).Add(c => c.Arrival, OutcomeArrival.Return));
        cut.FindAll("[data-testid=outcome]").ShouldBeEmpty();
        SignIn("alice");
        cut.WaitForAssertion(() => View(cut).ShouldBe("processing"));

        await Writer.UpdateAsync(
            attempt.Id, (a, now) => a.Close(AttemptStatus.Failed, new CloseCause(AttemptCloser.Webhook, "test: gate_session.failed"), now), CancellationToken.None);

        // Pushed at once: the poll's clock is fake and never moves in this test.
        cut.WaitForAssertion(() => View(cut).ShouldBe("failed"), TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Islands_open_on_one_attempt_share_one_store_read_per_change()
    {
        var attempt = await ProcessingAttemptAsync();
        SignIn("alice");
        var islands = Enumerable.Range(0, 8)
            .Select(_ => Render<OutcomeIsland>(p => p.Add(c => c.AttemptId, attempt.Id).Add(c => c.Arrival, OutcomeArrival.Status)))
            .ToList();
        foreach (var island in islands)
        {
            island.WaitForAssertion(() => View(island).ShouldBe("processing"));
        }

        // A change made behind the write path's back and announced by hand, so only the islands' reads are recorded.
        await ChangeBehindTheWritersBackAsync(attempt.Id, AttemptStatus.Failed);
        _statements.Start();
        _core.GetRequiredService<AttemptStatusNotifier>().Publish(new AttemptStatusChanged(attempt.Id, AttemptStatus.Failed, AttemptStatus.Processing));
        foreach (var island in islands)
        {
            island.WaitForAssertion(() => View(island).ShouldBe("failed"), TimeSpan.FromSeconds(5));
        }

        var (commands, _, _) = _statements.Stop();
        commands.Count.ShouldBe(1, string.Join(Environment.NewLine, commands));
        commands[0].ShouldContain("checkout_attempts");
    }

    [Fact]
    public async Task A_receipt_is_read_once_for_every_island_and_then_kept()
    {
        var attempt = await ProcessingAttemptAsync();
        await Writer.UpdateAsync(attempt.Id, (a, now) =>
            a.Close(AttemptStatus.Fulfilled, new CloseCause(AttemptCloser.Webhook, "test: gate_session.completed", "evt_island", "tx_island"), now), CancellationToken.None);
        SignIn("alice");
        var islands = Enumerable.Range(0, 4)
            .Select(_ => Render<OutcomeIsland>(p => p.Add(c => c.AttemptId, attempt.Id).Add(c => c.Arrival, OutcomeArrival.Status)))
            .ToList();
        foreach (var island in islands)
        {
            island.WaitForAssertion(() => island.FindAll("[data-testid=receipt-pending]").Count.ShouldBe(1));
        }

        // The receipt job's write: the receipt stored, the attempt noted (announced like any committed change).
        await Writer.StoreReceiptAsync(new AttemptReceipt(attempt.Id, "tx_island", "BUY", _time.GetUtcNow()) { TotalFees = "1.80", Currency = "EUR" }, null, CancellationToken.None);
        foreach (var island in islands)
        {
            island.WaitForAssertion(() => island.Find("[data-testid=receipt-fees]").TextContent.ShouldBe("1.80 EUR"), TimeSpan.FromSeconds(5));
        }

        // A later change of the attempt (support resolving a review, say) reads the attempt again, never the receipt.
        _statements.Start();
        _core.GetRequiredService<AttemptStatusNotifier>().Publish(new AttemptStatusChanged(attempt.Id, AttemptStatus.Fulfilled, AttemptStatus.Fulfilled));
        var outcome = await _core.GetRequiredService<CheckoutStatusCache>().GetOutcomeForOwnerAsync(attempt.Id, "alice", OutcomeArrival.Status, CancellationToken.None);
        var (commands, _, _) = _statements.Stop();
        outcome!.Receipt!.TotalFees.ShouldBe("1.80");
        commands.ShouldHaveSingleItem().ShouldContain("checkout_attempts");
    }

    [Fact]
    public async Task A_missed_push_is_caught_by_the_3_s_poll()
    {
        var attempt = await ProcessingAttemptAsync();
        SignIn("alice");
        var cut = Render<OutcomeIsland>(p => p.Add(c => c.AttemptId, attempt.Id).Add(c => c.Arrival, OutcomeArrival.Status));
        cut.WaitForAssertion(() => View(cut).ShouldBe("processing"));

        // Changed where no announcement reaches the island: only the status cache hears that it may have missed it
        // (as when PostgreSQL's change listener reconnects).
        await ChangeBehindTheWritersBackAsync(attempt.Id, AttemptStatus.Expired);
        var cache = _core.GetRequiredService<CheckoutStatusCache>();
        cache.MayMissChanges();
        cache.HearingEveryChange();
        View(cut).ShouldBe("processing");

        // Each 3 s of the island's clock is one poll; the page shows the change after the next one.
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (View(cut) != "expired")
        {
            _time.Advance(TimeSpan.FromMilliseconds(CheckoutStatusView.PollMilliseconds));
            await Task.Yield();
            limit.Token.ThrowIfCancellationRequested();
            try
            {
                cut.WaitForAssertion(() => View(cut).ShouldBe("expired"), TimeSpan.FromMilliseconds(500));
            }
            catch (Bunit.Extensions.WaitForHelpers.WaitForFailedException) when (!limit.IsCancellationRequested)
            {
                // The poll loop had not started yet when the clock moved: move it again.
            }
        }
    }

    [Fact]
    public async Task Someone_else_gets_no_island()
    {
        var attempt = await ProcessingAttemptAsync();
        SignIn("bob");

        var cut = Render<OutcomeIsland>(p => p.Add(c => c.AttemptId, attempt.Id).Add(c => c.Arrival, OutcomeArrival.Status));

        await Task.Yield();
        cut.WaitForState(() => cut.RenderCount > 0);
        cut.FindAll("[data-testid=outcome]").ShouldBeEmpty();
        cut.Markup.ShouldNotContain(attempt.Id);
    }

    private static string? View(IRenderedComponent<OutcomeIsland> cut) =>
        cut.FindAll("[data-testid=outcome]").SingleOrDefault()?.GetAttribute("data-view");

    private void SignIn(string accountId)
    {
        Authorization.SetClaims(new Claim("sub", accountId));
        Authorization.SetAuthorized(accountId);
    }

    private async Task<CheckoutAttempt> ProcessingAttemptAsync()
    {
        await _core.GetRequiredService<StoreMigrations>().ApplyAsync(CancellationToken.None);
        var attempt = await Writer.CreateAsync(new NewAttempt("alice", CheckoutFlow.OnRamp, 10m, "EUR"), CancellationToken.None);
        await Writer.AttachSessionAsync(attempt.Id, "gs_" + Guid.NewGuid().ToString("n"), null, CancellationToken.None);
        return (await Writer.UpdateAsync(attempt.Id, (a, now) => a.MarkReturned(now), CancellationToken.None)).Attempt!;
    }

    private async Task ChangeBehindTheWritersBackAsync(string attemptId, AttemptStatus status)
    {
        await using var db = await _core.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        await db.Attempts.Where(a => a.Id == attemptId).ExecuteUpdateAsync(set => set.SetProperty(a => a.Status, status));
    }

    protected override async Task DisposeTestAsync()
    {
        await base.DisposeTestAsync();
        await _core.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Still held by a connection being closed; the OS temp cleaner gets it.
        }
    }
}
