using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Portal.Tests.Infrastructure;

/// <summary>What the portal's contexts sent to the store while recording: command texts, savepoints, commits.</summary>
public sealed class StatementRecorder
{
    private readonly ConcurrentQueue<string> _commands = new();
    private int _savepoints;
    private int _commits;
    private volatile bool _recording;

    public void AddTo(IServiceCollection services)
    {
        services.AddSingleton<IInterceptor>(new Commands(this));
        services.AddSingleton<IInterceptor>(new Transactions(this));
    }

    public void Start()
    {
        _commands.Clear();
        _savepoints = 0;
        _commits = 0;
        _recording = true;
    }

    public (List<string> Commands, int Savepoints, int Commits) Stop()
    {
        _recording = false;
        return ([.. _commands], _savepoints, _commits);
    }

    private void Command(DbCommand command)
    {
        if (_recording)
        {
            _commands.Enqueue(command.CommandText.Trim());
        }
    }

    private sealed class Commands(StatementRecorder recorder) : DbCommandInterceptor
    {
        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            recorder.Command(command);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            recorder.Command(command);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            recorder.Command(command);
            return ValueTask.FromResult(result);
        }
    }

    private sealed class Transactions(StatementRecorder recorder) : DbTransactionInterceptor
    {
        public override ValueTask<InterceptionResult> CreatingSavepointAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
        {
            if (recorder._recording)
            {
                Interlocked.Increment(ref recorder._savepoints);
            }

            return ValueTask.FromResult(result);
        }

        public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            if (recorder._recording)
            {
                Interlocked.Increment(ref recorder._commits);
            }

            return Task.CompletedTask;
        }
    }
}
