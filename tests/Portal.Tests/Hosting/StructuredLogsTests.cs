using System.Text.Json;
using Microsoft.Data.Sqlite;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Hosting;

/// <summary>Structured logs are one switch away: the built-in JSON console formatter, chosen by configuration.</summary>
public sealed class StructuredLogsTests : IDisposable
{
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("portal-logs-");

    [Fact]
    public async Task With_the_json_formatter_every_log_line_is_a_json_object()
    {
        var settings = PortalProcess.ProductionSettings(_data.FullName, Wait.FreeLoopbackPort());
        settings["Logging__Console__FormatterName"] = "json";
        settings["Logging__LogLevel__Portal"] = "Information";
        await using var portal = await PortalProcess.StartReadyAsync(settings, _data.FullName);
        portal.Kill();

        var lines = portal.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines.ShouldNotBeEmpty();
        var entries = lines.Select(line => JsonDocument.Parse(line).RootElement).ToList(); // throws on any line that is not JSON
        entries.ShouldContain(e => e.GetProperty("Category").GetString() == "Portal.Core.Persistence.StoreMigrations"
            && e.GetProperty("State").GetProperty("Count").GetInt32() > 0);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _data.Delete(recursive: true);
    }
}
