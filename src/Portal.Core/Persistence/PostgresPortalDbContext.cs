using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Query.SqlExpressions;

namespace Portal.Core.Persistence;

/// <summary>
/// The shared store (several instances): native <c>numeric</c> amounts (exact, no precision lost) and
/// <c>timestamptz</c> times (always written in UTC). Migrations: the project Portal.Migrations.PostgreSql.
/// </summary>
public sealed class PostgresPortalDbContext(DbContextOptions<PostgresPortalDbContext> options) : PortalDbContext(options)
{
    protected override void ConfigureAmount(PropertyBuilder<decimal> amount) => amount.HasColumnType("numeric");

    /// <summary>
    /// <c>lower(x) COLLATE "C"</c>: byte order, so a prefix is a plain range whatever the database's collation;
    /// indexed as <c>((lower(x) COLLATE "C"))</c>.
    /// </summary>
    protected override SqlExpression FoldSearchKey(SqlExpression value) => new CollateExpression(SqlitePortalDbContext.Lower(value), "C");
}
