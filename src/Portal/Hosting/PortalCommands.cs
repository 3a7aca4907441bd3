using Portal.Core.Persistence;

namespace Portal.Hosting;

public static class PortalCommands
{
    /// <summary>
    /// Commands run instead of serving. <c>migrate</c> (<c>dotnet run --project src/Portal -- migrate</c>, or
    /// <c>dotnet Portal.dll migrate</c>) applies the store's migrations and exits: the deploy step for PostgreSQL, where
    /// instances never race to migrate at start-up. It needs only <c>Store:Provider</c> and <c>ConnectionStrings:Portal</c>.
    /// Returns the exit status, or null to serve.
    /// </summary>
    public static int? RunCommand(this WebApplication app, string[] args)
    {
        if (args is not ["migrate", ..])
        {
            return null;
        }

        var settings = app.Services.GetRequiredService<StoreSettings>();
        var applied = app.Services.GetRequiredService<StoreMigrations>().ApplyAsync(CancellationToken.None).GetAwaiter().GetResult();
        Console.WriteLine($"portal: the {settings.Provider} database is up to date ({applied} migration(s) applied).");
        return 0;
    }
}
