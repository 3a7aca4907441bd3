namespace Portal.Core.Persistence;

/// <summary>
/// Leadership for work that must run on one instance at a time (the sweeper). With SQLite there is one instance, so
/// it always leads; with several instances on PostgreSQL an advisory lock decides.
/// </summary>
public interface ISweepLease
{
    /// <summary>A held lease (dispose to release), or null when another instance holds it.</summary>
    Task<IAsyncDisposable?> TryAcquireAsync(CancellationToken cancellationToken);
}
