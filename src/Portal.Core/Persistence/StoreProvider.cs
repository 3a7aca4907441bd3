namespace Portal.Core.Persistence;

/// <summary>Which store the portal uses (section <c>Store</c>).</summary>
public enum StoreProvider
{
    /// <summary>The embedded store: a SQLite file, one instance, nothing to install (the default).</summary>
    Sqlite,

    /// <summary>PostgreSQL: any number of instances sharing one database.</summary>
    PostgreSql,
}
