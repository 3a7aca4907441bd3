using System.Text.Json;
using Npgsql;
using Portal.Core.Persistence;
using Portal.Core.Attempts;

namespace Portal.Core.LiveUpdates;

/// <summary>
/// One <c>LISTEN</c> connection per instance that feeds other instances' committed changes to this instance's open
/// pages. It reconnects with back-off (1 s doubling to 4 s, so it is back within seconds of the server) when the connection drops; meanwhile pages still poll every
/// 3 s, so a missed push only delays an update.
/// </summary>
internal sealed class PostgresChangeListener(
    StoreSettings settings,
    InstanceIdentity instance,
    AttemptStatusNotifier notifier,
    CheckoutStatusCache statusCache,
    ILogger<PostgresChangeListener> logger) : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(4);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromSeconds(1);
        var connectionString = new NpgsqlConnectionStringBuilder(settings.ConnectionString) { KeepAlive = 15, Pooling = false }.ConnectionString;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, e) => Deliver(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {ChangeNotice.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                logger.LogInformation("Listening for other instances' attempt changes");
                statusCache.HearingEveryChange();
                backoff = TimeSpan.FromSeconds(1);
                try
                {
                    while (!stoppingToken.IsCancellationRequested)
                    {
                        await connection.WaitAsync(stoppingToken);
                    }
                }
                finally
                {
                    statusCache.MayMissChanges();
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or System.IO.IOException or TimeoutException or InvalidOperationException)
            {
                logger.LogWarning(ex, "The change listener lost its connection; reconnecting in {Delay}", backoff);
                await Task.Delay(backoff, stoppingToken);
                backoff = backoff * 2 < MaxBackoff ? backoff * 2 : MaxBackoff;
            }
        }
    }

    private void Deliver(string payload)
    {
        try
        {
            var notice = JsonSerializer.Deserialize<ChangeNotice>(payload);
            if (notice is null || notice.Origin == instance.ApplicationName)
            {
                return; // this instance announced its own change already, right after its commit
            }

            notifier.Publish(new AttemptStatusChanged(notice.AttemptId, AttemptStatusNames.FromWire(notice.Status), AttemptStatusNames.FromWire(notice.Previous)));
        }
        catch (Exception ex) when (ex is JsonException or ArgumentOutOfRangeException)
        {
            logger.LogWarning("Ignored an unreadable change notice");
        }
    }
}
