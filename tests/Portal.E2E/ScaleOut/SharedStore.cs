using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Hosting;
using Portal.Core.Attempts;
using Portal.Core.Checkout;
using Portal.Core.Persistence;

namespace Portal.E2E.ScaleOut;

/// <summary>
/// Portal.Core in the test process on the instances' shared PostgreSQL database: seeds attempts through the product's
/// own write path (as the start form would) and reads the store afterwards. No hosted services run here: it neither
/// listens for changes nor runs jobs.
/// </summary>
public sealed class SharedStore : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private SharedStore(ServiceProvider services)
    {
        _services = services;
    }

    public static SharedStore Open(string connectionString, string contentRoot) => new(Build(connectionString, contentRoot));

    /// <summary>A new <c>pending_session</c> attempt of <paramref name="accountId"/>, as the start form creates it.</summary>
    public async Task<string> CreateAttemptAsync(string accountId)
    {
        var attempt = await Writer.CreateAsync(new NewAttempt(accountId, CheckoutFlow.OnRamp, 25m, "EUR", "USDC", "base"), CancellationToken.None);
        return attempt.Id;
    }

    /// <summary>0Gate created <paramref name="sessionId"/> for the attempt: it now waits for its customer inside 0Gate.</summary>
    public Task AttachSessionAsync(string attemptId, string sessionId) =>
        Writer.AttachSessionAsync(attemptId, sessionId, null, CancellationToken.None);

    /// <summary>An attempt waiting for its customer inside 0Gate, with a session id the test made up.</summary>
    public async Task<string> SeedAttemptAsync(string accountId, string sessionId)
    {
        var attemptId = await CreateAttemptAsync(accountId);
        await AttachSessionAsync(attemptId, sessionId);
        return attemptId;
    }

    public async Task<T> QueryAsync<T>(Func<PortalDbContext, Task<T>> query)
    {
        await using var db = await _services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await query(db);
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();

    private AttemptWriter Writer => _services.GetRequiredService<AttemptWriter>();

    private static ServiceProvider Build(string connectionString, string contentRoot)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Store:Provider"] = "PostgreSql",
            ["ConnectionStrings:Portal"] = connectionString,
            ["Store:MigrateOnStart"] = "false",
            ["Portal:InstanceName"] = "test",
            // Required settings; this process never calls 0Gate.
            ["Gate:ApiBaseUrl"] = "http://127.0.0.1:9",
            ["Gate:HostedBaseUrl"] = "http://127.0.0.1:9",
            ["Gate:SecretKey"] = TwoInstancesFixture.SecretKey,
            ["Gate:PublishableKey"] = TwoInstancesFixture.PublishableKey,
            ["Gate:WebhookSecrets:0"] = TwoInstancesFixture.WebhookSecret,
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddPortalCoreServices(configuration, contentRoot, development: false);
        return services.BuildServiceProvider();
    }
}
