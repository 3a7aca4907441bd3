using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Hosting;
using Portal.Core.Attempts;
using Portal.Core.Checkout;
using Portal.Core.Persistence;

namespace Portal.Tests.Infrastructure;

/// <summary>
/// Portal.Core on the store of a <see cref="PortalProcess"/> (which migrated it): its SQLite file, or the PostgreSQL
/// database <paramref name="postgres"/> names. Seeds attempts through the product's own write path and reads the store
/// afterwards.
/// </summary>
public sealed class StoreFile(string dataDirectory, string? postgres = null) : IAsyncDisposable
{
    private readonly ServiceProvider _services = Build(dataDirectory, postgres);

    /// <summary>Attempts waiting for 0Gate (session attached), written <paramref name="concurrency"/> at a time.</summary>
    public async Task<List<(string AttemptId, string SessionId)>> SeedAttemptsAsync(int count, int concurrency = 32)
    {
        var writer = _services.GetRequiredService<AttemptWriter>();
        var seeded = new System.Collections.Concurrent.ConcurrentBag<(string, string)>();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
        {
            var attempt = await writer.CreateAsync(new NewAttempt($"acct-load-{i % 50}", CheckoutFlow.OnRamp, 10m, "EUR", "USDC", "base"), ct);
            var session = "gs_" + Guid.NewGuid().ToString("n");
            await writer.AttachSessionAsync(attempt.Id, session, null, ct);
            seeded.Add((attempt.Id, session));
        });
        return [.. seeded];
    }

    public async Task<T> QueryAsync<T>(Func<PortalDbContext, Task<T>> query)
    {
        await using var db = await _services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await query(db);
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();

    private static ServiceProvider Build(string dataDirectory, string? postgres)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Store:Provider"] = postgres is null ? nameof(StoreProvider.Sqlite) : nameof(StoreProvider.PostgreSql),
            ["ConnectionStrings:Portal"] = postgres ?? $"Data Source={Path.Combine(dataDirectory, "portal.db")};Pooling=False",
            ["Gate:ApiBaseUrl"] = "http://127.0.0.1:9",
            ["Gate:HostedBaseUrl"] = "http://127.0.0.1:9",
            ["Gate:SecretKey"] = "sk_test_store_file",
            ["Gate:PublishableKey"] = "pk_test_store_file",
            ["Gate:WebhookSecrets:0"] = PortalAppFactory.WebhookSecret,
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddPortalCoreServices(configuration, dataDirectory);
        return services.BuildServiceProvider();
    }
}
