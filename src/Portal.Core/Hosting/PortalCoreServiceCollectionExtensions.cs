using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Portal.Core.Admin;
using Portal.Core.Attempts;
using Portal.Core.Checkout;
using Portal.Core.Gate;
using Portal.Core.Jobs;
using Portal.Core.Limits;
using Portal.Core.LiveUpdates;
using Portal.Core.Persistence;
using Portal.Core.Reads;
using Portal.Core.StaffActions;
using Portal.Core.Telemetry;
using Portal.Core.Webhooks;

namespace Portal.Core.Hosting;

public static class PortalCoreServiceCollectionExtensions
{
    /// <summary>Options (validated on start), the store, and the checkout and webhook use cases.</summary>
    /// <param name="development">Development migrates PostgreSQL at start-up; elsewhere that is the deploy step's job.</param>
    public static IServiceCollection AddPortalCoreServices(this IServiceCollection services, IConfiguration configuration, string contentRoot, bool development = true)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton<PortalTelemetry>();
        services.AddSingleton<IGateCallMetrics>(sp => sp.GetRequiredService<PortalTelemetry>());

        services.AddOptions<GateOptions>()
            .BindConfiguration(GateOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<GateOptions>, GateOptionsValidator>();
        services.AddOptions<RateLimitOptions>()
            .BindConfiguration(RateLimitOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<UserActionLimits>();

        var instance = new InstanceIdentity(configuration);
        services.AddSingleton(instance);
        var store = StoreServiceCollectionExtensions.ReadSettings(configuration, contentRoot, development, instance);
        services.AddLiveUpdates(store); // first, as before: its change listener starts before the migrator
        services.AddPortalStore(store);

        services.AddSingleton<AttemptWriter>();
        services.AddSingleton<AttemptReads>();
        services.AddSingleton<WebhookSignatureVerifier>();
        services.AddSingleton<WebhookIngestion>();

        services.AddSingleton<GateClient>();
        services.AddHttpClient(GateClient.HttpClientName)
            .AddStandardResilienceHandler(resilience =>
            {
                // Bounded: three tries within ten seconds, then the customer gets a retry button.
                resilience.AttemptTimeout.Timeout = TimeSpan.FromSeconds(3);
                resilience.Retry.MaxRetryAttempts = 2;
                resilience.Retry.Delay = TimeSpan.FromMilliseconds(200);
                resilience.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(10);
                resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(30);
            });
        services.AddSingleton<GateCapabilitiesCache>();
        services.AddSingleton<CheckoutPreflight>();
        services.AddScoped<CheckoutService>();
        services.AddSingleton<ReceiptFetcher>();
        services.AddOptions<Email.EmailOptions>()
            .BindConfiguration(Email.EmailOptions.Section)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<Email.EmailOptions>, Email.EmailOptionsValidator>();
        services.AddSingleton<Email.OutcomeEmailSender>();
        services.AddSingleton<JobSignal>();
        services.AddSingleton<JobRunner>();
        services.AddHostedService(sp => sp.GetRequiredService<JobRunner>());
        services.AddSingleton<SupportSearch>();
        services.AddSingleton<SupportViews>();
        services.AddSingleton<AttemptDetails>();
        services.AddScoped<SupportReconciler>();
        services.AddScoped<SupportCanceller>();
        services.AddSingleton<ReviewResolver>();
        services.AddScoped<BulkReconciler>();
        services.AddSingleton<BulkReconcileRuns>();
        services.AddSingleton<EventDeliveryHistory>();
        services.AddSingleton<Audit.AuditLog>();
        services.AddOptions<SweeperOptions>()
            .BindConfiguration(SweeperOptions.Section)
            .Validate(o => o.Interval > TimeSpan.Zero && o.ConfirmingTooLongAfter > TimeSpan.Zero && o.AbandonedAfter > TimeSpan.Zero
                && o.UnopenedAfter > TimeSpan.Zero && o.MinReadAgainAfter > TimeSpan.Zero && o.MaxReadAgainAfter >= o.MinReadAgainAfter && o.BatchSize > 0,
                "Sweeper: Interval, ConfirmingTooLongAfter, AbandonedAfter, UnopenedAfter and MinReadAgainAfter must be positive, MaxReadAgainAfter at least MinReadAgainAfter, BatchSize above 0.")
            .ValidateOnStart();
        services.AddSingleton<StoreMaintenance>();
        services.TryAddSingleton<ISweepLease, SingleInstanceLease>();
        services.AddSingleton<StuckAttemptSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<StuckAttemptSweeper>());
        services.AddSingleton<AllowedDomainsService>();
        services.AddSingleton<IntegrationHealth>();
        services.AddSingleton<HealthCharts>();
        services.AddOptions<IntegrationAlertOptions>()
            .BindConfiguration(IntegrationAlertOptions.Section)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<IntegrationAlertOptions>, IntegrationAlertOptionsValidator>();
        services.AddSingleton<IntegrationAlerts>();
        services.AddSingleton<DeveloperTools>();
        return services;
    }
}
