namespace Portal.Core.Persistence;

/// <summary>One instance: always the leader.</summary>
public sealed class SingleInstanceLease : ISweepLease
{
    public Task<IAsyncDisposable?> TryAcquireAsync(CancellationToken cancellationToken) => Task.FromResult<IAsyncDisposable?>(Held.Instance);

    private sealed class Held : IAsyncDisposable
    {
        public static readonly Held Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
