namespace Portal.Core.Persistence;

/// <summary>
/// At start-up: SQLite (and PostgreSQL in Development) is migrated before the portal serves. PostgreSQL in production
/// is migrated by the deploy step instead; an instance that finds migrations pending logs it, answers 503 to
/// everything but the health endpoints, and checks again every few seconds (no racing instances).
/// </summary>
internal sealed class DatabaseMigrator(StoreMigrations migrations, StoreSettings settings, MigrationState state, ILogger<DatabaseMigrator> logger) : BackgroundService
{
    private static readonly TimeSpan RecheckEvery = TimeSpan.FromSeconds(5);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (settings.MigrateOnStart)
        {
            await migrations.ApplyAsync(cancellationToken);
        }
        else if ((await migrations.CheckAsync(cancellationToken)).Count > 0)
        {
            logger.LogError(
                "The database lacks {Count} migration(s) ({Names}); this instance refuses to serve until they are applied with 'portal migrate'",
                state.Pending.Count, string.Join(", ", state.Pending));
        }

        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!state.IsCurrent)
            {
                await Task.Delay(RecheckEvery, stoppingToken);
                try
                {
                    if ((await migrations.CheckAsync(stoppingToken)).Count == 0)
                    {
                        logger.LogInformation("Database migrations are now applied; serving");
                    }
                }
                catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
                {
                    logger.LogWarning(ex, "Could not check the database's migrations");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping is not a failure.
        }
    }
}
