namespace Portal.Core.Persistence;

/// <summary>
/// The one way the portal writes to its store, with one implementation per store (chosen by <c>Store:Provider</c>):
/// <see cref="SqliteStoreWriter"/> (SQLite admits one writer: a single writer with group commit) and
/// <see cref="PostgresStoreWriter"/> (PostgreSQL admits many: one short <c>READ COMMITTED</c> transaction per write,
/// many at once). See docs/architecture.md, "The write path".
/// <list type="bullet">
/// <item>A piece of work reads and changes entities on the context it is given, inside a transaction, and does nothing
/// but store work: no calls to 0Gate, no waiting on anything else. It does not call <c>SaveChanges</c>: the writer
/// saves it through <see cref="UnitOfWork"/>, which adds what the changed attempts recorded (timeline entries, jobs).</item>
/// <item>When another writer got there first (the attempt's concurrency token no longer matches, or a unique row such
/// as an event id or a receipt exists already) the work runs again on fresh state and finds the attempt already
/// changed: a lost race is an ordinary answer. Work may therefore run more than once; only its last run commits.</item>
/// <item>A caller learns its result only after its transaction committed (so a 200 for a webhook is durable), and the
/// attempts it changed are announced only then. If the commit fails, the caller gets the error.</item>
/// </list>
/// </summary>
public interface IStoreWriter
{
    /// <summary>Transactions committed so far.</summary>
    long Commits { get; }

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction and returns its result once that transaction committed.
    /// </summary>
    /// <param name="maxWait">
    /// How long the caller waits for that commit (queue and locks included) before giving up with a
    /// <see cref="TimeoutException"/> (a webhook then answers 503). Only this caller's write is affected.
    /// </param>
    Task<T> WriteAsync<T>(Func<PortalDbContext, CancellationToken, Task<T>> work, CancellationToken cancellationToken, TimeSpan? maxWait = null);
}
