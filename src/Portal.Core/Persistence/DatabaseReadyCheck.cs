using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Portal.Core.Persistence;

internal sealed class DatabaseReadyCheck(IDbContextFactory<PortalDbContext> factory, MigrationState state, StoreWriteHealth writes) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // Reads may still work while writes fail (a full disk): deliveries are answered 503, so the store is not ready.
        if (writes.CurrentFailure is { } failure)
        {
            return HealthCheckResult.Unhealthy($"Writes to the store are failing since {failure.Since:u} ({failure.Failures} failed): {failure.Reason}");
        }

        try
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            if (!await db.Database.CanConnectAsync(cancellationToken))
            {
                return HealthCheckResult.Unhealthy("The database cannot be reached.");
            }

            var pending = await db.Database.GetPendingMigrationsAsync(cancellationToken);
            state.Set(pending);
            return pending.Any()
                ? HealthCheckResult.Unhealthy("Database migrations are pending.")
                : HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("The database cannot be reached.");
        }
    }
}
