using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Portal.Core.Persistence;

namespace Portal.Migrations.Sqlite;

/// <summary>
/// What <c>dotnet ef</c> builds the context with (no database needed to add a migration):
/// <c>dotnet ef migrations add Name --project src/Portal.Migrations.Sqlite</c> (docs/operations.md).
/// </summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqlitePortalDbContext>
{
    public SqlitePortalDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlitePortalDbContext>()
            .UseSqlite("Data Source=design-time.db", sqlite => sqlite.MigrationsAssembly(typeof(SqliteDesignTimeFactory).Assembly.GetName().Name))
            .Options);
}
