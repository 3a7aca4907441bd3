
namespace Portal.Core.Persistence;

/// <summary>PostgreSQL: one instance at a time leads the sweeper, holding an advisory lock for the length of a sweep.</summary>
internal sealed class PostgresSweepLease(string connectionString) : ISweepLease
{
    private readonly Medallion.Threading.Postgres.PostgresDistributedLock _lock =
        new(new Medallion.Threading.Postgres.PostgresAdvisoryLockKey("portal-stuck-attempt-sweeper", allowHashing: true), connectionString);

    public async Task<IAsyncDisposable?> TryAcquireAsync(CancellationToken cancellationToken) =>
        await _lock.TryAcquireAsync(TimeSpan.Zero, cancellationToken);
}
