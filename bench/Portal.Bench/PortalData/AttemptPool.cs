namespace Portal.Bench.PortalData;

/// <summary>
/// Seeded attempts handed out once each, so every delivery closes a real, still open attempt (the portal's full
/// work: verify, dedupe, state change, timeline, commit). Topped up between measurements, never during one.
/// </summary>
public sealed class AttemptPool(AttemptSeeder seeder, string accountId)
{
    private readonly List<SeededAttempt> _attempts = [];
    private int _next = -1;

    public string AccountId => accountId;

    public int Remaining => _attempts.Count - (_next + 1);

    /// <summary>Seeds more attempts (while the portal is idle) until at least <paramref name="count"/> are unused.</summary>
    public async Task EnsureAsync(int count, CancellationToken cancellationToken)
    {
        if (Remaining < count)
        {
            _attempts.AddRange(await seeder.SeedAsync(count - Remaining, _ => accountId, cancellationToken));
        }
    }

    /// <summary>The next unused attempt; thread-safe. Callers bound their use by what <see cref="EnsureAsync"/> provided.</summary>
    public SeededAttempt Next()
    {
        var i = Interlocked.Increment(ref _next);
        return i < _attempts.Count ? _attempts[i] : throw new InvalidOperationException("The attempt pool ran dry: EnsureAsync was not called with enough.");
    }
}
