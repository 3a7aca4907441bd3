using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Portal.Core.Checkout;

namespace Portal.Core.Persistence;

/// <summary>This running process among the portal's instances.</summary>
public sealed class InstanceIdentity(Microsoft.Extensions.Configuration.IConfiguration configuration)
{
    /// <summary>Unique per process: tells this instance's own notifications from the others'.</summary>
    public Guid Id { get; } = Guid.NewGuid();

    /// <summary><c>Portal:InstanceName</c>, or host and process id: who claimed a job, who leads the sweeper.</summary>
    public string Name { get; } = configuration["Portal:InstanceName"] is { Length: > 0 } name
        ? name
        : $"{Environment.MachineName}-{Environment.ProcessId}";
}

/// <summary>
/// How committed attempt changes reach the other instances. The writer calls it inside the committing transaction,
/// so a change is announced exactly when it commits (PostgreSQL's <c>NOTIFY</c> is delivered on commit, never on
/// rollback). Every instance announces its own changes locally after the commit as well.
/// </summary>
public interface IChangeFeed
{
    Task PublishInTransactionAsync(PortalDbContext transaction, IReadOnlyList<AttemptStatusChanged> changes);
}

/// <summary>SQLite: one instance, so the local announcement is all there is.</summary>
internal sealed class LocalChangeFeed : IChangeFeed
{
    public Task PublishInTransactionAsync(PortalDbContext transaction, IReadOnlyList<AttemptStatusChanged> changes) => Task.CompletedTask;
}

/// <summary>PostgreSQL: <c>pg_notify</c> in the committing transaction; <see cref="PostgresChangeListener"/> on every instance hears it.</summary>
internal sealed class PostgresChangeFeed(InstanceIdentity instance) : IChangeFeed
{
    public const string Channel = "portal_attempt_changes";

    public async Task PublishInTransactionAsync(PortalDbContext transaction, IReadOnlyList<AttemptStatusChanged> changes)
    {
        foreach (var change in changes)
        {
            var payload = JsonSerializer.Serialize(new ChangeNotice(instance.Id, change.AttemptId, change.Status.ToWire(), change.Previous.ToWire()));
            await transaction.Database.ExecuteSqlAsync($"SELECT pg_notify({Channel}, {payload})");
        }
    }
}

internal sealed record ChangeNotice(Guid Origin, string AttemptId, string Status, string Previous);

/// <summary>
/// One <c>LISTEN</c> connection per instance that feeds other instances' committed changes to this instance's open
/// pages. It reconnects with back-off (1 s doubling to 30 s) when the connection drops; meanwhile pages still poll every
/// 3 s, so a missed push only delays an update.
/// </summary>
internal sealed class PostgresChangeListener(
    StoreSettings settings,
    InstanceIdentity instance,
    AttemptStatusNotifier notifier,
    CheckoutStatusCache statusCache,
    ILogger<PostgresChangeListener> logger) : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromSeconds(1);
        var connectionString = new NpgsqlConnectionStringBuilder(settings.ConnectionString) { KeepAlive = 15, Pooling = false }.ConnectionString;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, e) => Deliver(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {PostgresChangeFeed.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                logger.LogInformation("Listening for other instances' attempt changes");
                statusCache.HearingEveryChange();
                backoff = TimeSpan.FromSeconds(1);
                try
                {
                    while (!stoppingToken.IsCancellationRequested)
                    {
                        await connection.WaitAsync(stoppingToken);
                    }
                }
                finally
                {
                    statusCache.MayMissChanges();
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or System.IO.IOException or TimeoutException or InvalidOperationException)
            {
                logger.LogWarning(ex, "The change listener lost its connection; reconnecting in {Delay}", backoff);
                await Task.Delay(backoff, stoppingToken);
                backoff = backoff * 2 < MaxBackoff ? backoff * 2 : MaxBackoff;
            }
        }
    }

    private void Deliver(string payload)
    {
        try
        {
            var notice = JsonSerializer.Deserialize<ChangeNotice>(payload);
            if (notice is null || notice.Origin == instance.Id)
            {
                return; // this instance announced its own change already, right after its commit
            }

            notifier.Publish(new AttemptStatusChanged(notice.AttemptId, AttemptStatusNames.FromWire(notice.Status), AttemptStatusNames.FromWire(notice.Previous)));
        }
        catch (Exception ex) when (ex is JsonException or ArgumentOutOfRangeException)
        {
            logger.LogWarning("Ignored an unreadable change notice");
        }
    }
}

/// <summary>PostgreSQL: one instance at a time leads the sweeper, holding an advisory lock for the length of a sweep.</summary>
internal sealed class PostgresSweepLease(string connectionString) : ISweepLease
{
    private readonly Medallion.Threading.Postgres.PostgresDistributedLock _lock =
        new(new Medallion.Threading.Postgres.PostgresAdvisoryLockKey("portal-stuck-attempt-sweeper", allowHashing: true), connectionString);

    public async Task<IAsyncDisposable?> TryAcquireAsync(CancellationToken cancellationToken) =>
        await _lock.TryAcquireAsync(TimeSpan.Zero, cancellationToken);
}
