using System.Data.Common;

namespace Portal.Core.Persistence;

/// <summary>
/// Whether the store's writes commit, as the writers last saw it. A store can answer reads while refusing every write
/// (a full disk, an I/O error, a read-only file system), so a connection check alone would call it ready. A failure is
/// remembered until the next commit or for <see cref="Memory"/>, whichever comes first: <c>/readyz</c> reports the
/// store not ready meanwhile and the admin overview shows why. Only failures of the store itself count (unreachable,
/// broken connection, full), never a lost race or a piece of work's own error.
/// </summary>
public sealed class StoreWriteHealth(TimeProvider time)
{
    /// <summary>How long a failure is remembered without a commit since: long enough to outlast 0Gate's retry interval.</summary>
    public static readonly TimeSpan Memory = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private StoreWriteFailure? _failure;

    /// <summary>The writes failing now (the last one within <see cref="Memory"/>, none committed since), or null.</summary>
    public StoreWriteFailure? CurrentFailure
    {
        get
        {
            lock (_gate)
            {
                return _failure is { } failure && time.GetUtcNow() - failure.LastAt < Memory ? failure : null;
            }
        }
    }

    /// <summary>A transaction committed: the store takes writes again.</summary>
    public void Committed()
    {
        if (Volatile.Read(ref _failure) is null)
        {
            return; // the common case: no lock
        }

        lock (_gate)
        {
            _failure = null;
        }
    }

    /// <summary>A transaction failed; counts only when the store itself is at fault.</summary>
    public void Failed(Exception error)
    {
        if (!StoreErrors.IsConnectionBroken(error) && !StoreErrors.IsUnavailable(error))
        {
            return;
        }

        var now = time.GetUtcNow();
        var reason = Reason(error);
        lock (_gate)
        {
            _failure = _failure is { } earlier && now - earlier.LastAt < Memory
                ? earlier with { LastAt = now, Failures = earlier.Failures + 1, Reason = reason }
                : new StoreWriteFailure(now, now, 1, reason);
        }
    }

    /// <summary>The innermost database error's message (e.g. "SQLite Error 13: 'database or disk is full'."): no data, no secrets.</summary>
    private static string Reason(Exception error)
    {
        Exception? database = null;
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is DbException)
            {
                database = e;
            }
        }

        var message = (database ?? error).Message;
        return message.Length <= 200 ? message : message[..200];
    }
}
