using System.Security.Claims;
using Bunit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Portal.Checkout;
using Portal.Components.Checkout;
using Portal.Core.Hosting;
using Portal.Core.Attempts;
using Portal.Core.Checkout;
using Portal.Core.Persistence;
using Portal.Core.Reads;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Components;

/// <summary>
/// The outcome component on the real store (a temp SQLite file) and the real notifier: an open page follows the attempt
/// however long its first read of the attempt took.
/// </summary>
public sealed class AttemptOutcomeTests : PortalComponentTest
{
    private readonly string _directory = Directory.CreateTempSubdirectory("portal-outcome-").FullName;
    private readonly ServiceProvider _core;

    public AttemptOutcomeTests()
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
        core.AddLogging();
        core.AddPortalCoreServices(configuration, _directory);
        core.AddScoped<AttemptAccess>();
        core.AddSingleton<SupportContact>();
        _core = core.BuildServiceProvider();
        Services.AddFallbackServiceProvider(_core);
        Authorization.SetAuthorizing(); // who is signed in is answered only when the test says so
    }

    [Fact]
    public async Task A_page_whose_first_read_came_after_its_first_render_still_hears_of_the_close()
    {
        await _core.GetRequiredService<StoreMigrations>().ApplyAsync(CancellationToken.None);
        var writer = _core.GetRequiredService<AttemptWriter>();
        var attempt = await writer.CreateAsync(new NewAttempt("alice", CheckoutFlow.OnRamp, 10m, "EUR"), CancellationToken.None);
        await writer.AttachSessionAsync(attempt.Id, "gs_" + Guid.NewGuid().ToString("n"), null, CancellationToken.None);
        await writer.UpdateAsync(attempt.Id, (a, now) => a.MarkReturned(now), CancellationToken.None);

        // The first render (and its after-render) happens while the page still waits for who is signed in (a slow
        // store or a loaded machine does the same): the attempt is read only afterwards.
        var cut = Render<AttemptOutcome>(p => p.Add(c => c.AttemptId, attempt.Id).Add(c => c.Arrival, OutcomeArrival.Return));
        cut.FindAll("[data-testid=outcome]").ShouldBeEmpty();
        Authorization.SetClaims(new Claim("sub", "alice"));
        Authorization.SetAuthorized("Alice");
        cut.WaitForAssertion(() => cut.Find("[data-testid=outcome]").GetAttribute("data-view").ShouldBe("processing"));

        await writer.UpdateAsync(
            attempt.Id, (a, now) => a.Close(AttemptStatus.Failed, new CloseCause(AttemptCloser.Webhook, "test: gate_session.failed"), now), CancellationToken.None);

        // Pushed at once (well inside the 3 s poll, which would come too late for this wait).
        cut.WaitForAssertion(() => cut.Find("[data-testid=outcome]").GetAttribute("data-view").ShouldBe("failed"), TimeSpan.FromSeconds(2));
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
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
