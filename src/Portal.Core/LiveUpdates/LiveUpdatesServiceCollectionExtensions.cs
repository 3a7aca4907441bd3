using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Persistence;

namespace Portal.Core.LiveUpdates;

public static class LiveUpdatesServiceCollectionExtensions
{
    /// <summary>
    /// What follows a commit on this instance: metrics and the announcement to open pages and the job runner
    /// (<see cref="CommittedWork"/>, the store's <see cref="ICommitObserver"/>), the status cache, and on PostgreSQL the
    /// listener that hears other instances' commits.
    /// </summary>
    public static IServiceCollection AddLiveUpdates(this IServiceCollection services, StoreSettings store)
    {
        ArgumentNullException.ThrowIfNull(store);
        services.AddSingleton<AttemptStatusNotifier>();
        services.AddSingleton<CommittedTransitions>();
        services.AddSingleton<ICommitObserver, CommittedWork>();
        services.AddSingleton<CheckoutStatusCache>();
        if (store.Provider == StoreProvider.PostgreSql)
        {
            services.AddHostedService<PostgresChangeListener>();
        }

        return services;
    }
}
