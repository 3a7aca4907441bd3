namespace Portal.Core.Persistence;

/// <summary>Whether this instance may serve: false while the database lacks migrations it needs (PostgreSQL in production).</summary>
public sealed class MigrationState
{
    private volatile IReadOnlyList<string> _pending = [];

    public IReadOnlyList<string> Pending => _pending;

    public bool IsCurrent => _pending.Count == 0;

    internal void Set(IEnumerable<string> pending) => _pending = [.. pending];
}
