namespace Portal.Core.Persistence;

/// <summary>
/// Told by both writers once a transaction committed, with what it saved (metrics, then the announcement to this
/// instance's open pages and the job runner). It lives above the store (<c>LiveUpdates.CommittedWork</c>), so the
/// store never names what listens to it.
/// </summary>
public interface ICommitObserver
{
    /// <summary>Called after the commit, once per piece of work, never for work that rolled back.</summary>
    void Report(SavedWork saved);
}
