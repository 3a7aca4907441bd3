using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Portal.Core.Persistence;

/// <summary>
/// A query on the hot path (every webhook delivery, every status poll), translated once instead of on every call.
/// EF Core binds a compiled query to the model of the first context it runs on, and each provider has its own model
/// (SQLite and PostgreSQL contexts can live in one process, as in the tests), so there is one compilation per model.
/// </summary>
/// <typeparam name="TQuery">The delegate <see cref="EF.CompileAsyncQuery{TContext,TParam1,TResult}(System.Linq.Expressions.Expression{Func{TContext,TParam1,TResult}})"/> returns.</typeparam>
public sealed class CompiledQuery<TQuery>(Func<TQuery> compile)
    where TQuery : class
{
    private readonly ConcurrentDictionary<IModel, TQuery> _byModel = new();

    /// <summary>The compiled query for <paramref name="db"/>'s model.</summary>
    public TQuery For(DbContext db) => _byModel.GetOrAdd(db.Model, static (_, compile) => compile(), compile);
}
