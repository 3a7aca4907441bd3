using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Query.SqlExpressions;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Portal.Core.Persistence;

/// <summary>
/// The embedded store (one instance): times as sortable integers and amounts as their exact decimal text, since
/// SQLite has neither a time type nor an exact numeric one. Migrations: the project Portal.Migrations.Sqlite.
/// </summary>
public sealed class SqlitePortalDbContext(DbContextOptions<SqlitePortalDbContext> options) : PortalDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();

    protected override void ConfigureAmount(PropertyBuilder<decimal> amount) => amount.HasConversion<string>();

    /// <summary><c>lower(x)</c>, compared with SQLite's BINARY collation; indexed as <c>(lower(x))</c>.</summary>
    protected override SqlExpression FoldSearchKey(SqlExpression value) => Lower(value);

    internal static SqlExpression Lower(SqlExpression value) =>
        new SqlFunctionExpression("lower", [value], nullable: true, argumentsPropagateNullability: [true], typeof(string), value.TypeMapping);
}
