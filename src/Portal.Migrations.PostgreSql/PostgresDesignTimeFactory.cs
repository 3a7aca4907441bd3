using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Portal.Core.Persistence;

namespace Portal.Migrations.PostgreSql;

/// <summary>
/// What <c>dotnet ef</c> builds the context with (no server needed to add a migration):
/// <c>dotnet ef migrations add Name --project src/Portal.Migrations.PostgreSql</c> (docs/operations.md).
/// </summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresPortalDbContext>
{
    public PostgresPortalDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresPortalDbContext>()
            .UseNpgsql("Host=localhost;Database=portal_design_time", npgsql => npgsql.MigrationsAssembly(typeof(PostgresDesignTimeFactory).Assembly.GetName().Name))
            .Options);
}
