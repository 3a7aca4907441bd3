using System.Security.Claims;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Portal.Core.Attempts;
using Portal.Core.Audit;
using Portal.Core.Checkout;
using Portal.Core.Gate;
using Portal.Core.Limits;
using Portal.Core.LiveUpdates;
using Portal.Core.Reads;
using Portal.Core.Records;
using Portal.Core.StaffActions;
using Portal.Tests.Components;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Support;

/// <summary>
/// bUnit tests of the support screens on the real Core services (<see cref="CoreHarness"/>: a migrated temporary SQLite
/// store) with 0Gate scripted (<see cref="ScriptedGate"/>), a fake clock, and Sam (support) signed in.
/// </summary>
public abstract class SupportComponentTest : PortalComponentTest
{
    private AsyncServiceScope _scope;

    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

    protected ScriptedGate Gate { get; } = new();

    private protected CoreHarness Core { get; private set; } = null!;

    /// <summary>Settings for the Core services under test (applied over the harness's own).</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings => [];

    public override async Task InitializeAsync()
    {
        Core = await CoreHarness.StartAsync(Clock, new Uri("http://gate.test/"), gateHandler: Gate, settings: Settings);
        _scope = Core.Scope();
        Services.AddSingleton<TimeProvider>(Clock);
        Services.AddSingleton(Core.Get<SupportSearch>());
        Services.AddSingleton(Core.Get<SupportViews>());
        Services.AddSingleton(Core.Get<AttemptDetails>());
        Services.AddSingleton(Core.Get<EventDeliveryHistory>());
        Services.AddSingleton(Core.Get<AttemptStatusNotifier>());
        Services.AddSingleton(Core.Get<AuditLog>());
        Services.AddSingleton(Core.Get<BulkReconcileRuns>());
        Services.AddSingleton(Core.Get<IOptions<RateLimitOptions>>());
        Services.AddSingleton(Core.Get<IOptions<GateOptions>>());
        Services.AddSingleton(_scope.ServiceProvider.GetRequiredService<SupportReconciler>());
        Services.AddSingleton(_scope.ServiceProvider.GetRequiredService<SupportCanceller>());
        Services.AddSingleton(Core.Get<ReviewResolver>());
        Services.AddSingleton(_scope.ServiceProvider.GetRequiredService<BulkReconciler>());

        var auth = AddAuthorization();
        auth.SetAuthorized("Sam");
        auth.SetRoles("support");
        auth.SetClaims(new Claim("sub", "sam"));
        await base.InitializeAsync();
    }

    protected override async Task DisposeTestAsync()
    {
        await base.DisposeTestAsync();
        await _scope.DisposeAsync();
        await Core.DisposeAsync();
    }

    protected AttemptWriter Writer => Core.Get<AttemptWriter>();

    /// <summary>An attempt with a 0Gate session that 0Gate (scripted) holds in <paramref name="gateStatus"/> (null: a session 0Gate does not know).</summary>
    protected async Task<CheckoutAttempt> AttemptWithSessionAsync(string sessionId, string? gateStatus = "open", string account = "acct_alice",
        CheckoutFlow flow = CheckoutFlow.OnRamp)
    {
        var attempt = await Writer.CreateAsync(new NewAttempt(account, flow, 25m, "EUR", "USDC", "polygon",
            Target: new SessionTarget("test", new Uri("https://portal.example/"))), default);
        if (gateStatus is not null)
        {
            Gate.SetSession(sessionId, gateStatus, gateStatus == "completed" ? "tx_" + sessionId : null);
        }

        return (await Writer.AttachSessionAsync(attempt.Id, sessionId, "req_attach", default)).Attempt!;
    }

    protected Task<IReadOnlyList<AuditEntry>> AuditAsync(string attemptId) => Core.Get<AuditLog>().ForAttemptAsync(attemptId, default);
}
