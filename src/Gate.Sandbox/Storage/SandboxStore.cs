using Microsoft.EntityFrameworkCore;

namespace Gate.Sandbox.Storage;

/// <summary>
/// One writer at a time: the sandbox is low-traffic, and serialising every unit of work makes
/// idempotency checks, lazy expiry and quota counting atomic without SQLite busy retries.
/// </summary>
public sealed class SandboxStore(IDbContextFactory<SandboxDbContext> factory) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<T> RunAsync<T>(Func<SandboxDbContext, Task<T>> work, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            return await work(db);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
