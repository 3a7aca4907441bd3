using Npgsql;

namespace Portal.Tests.Infrastructure;

/// <summary>
/// The throw-away PostgreSQL cluster ./test.sh runs the tests in (<c>pg_virtualenv</c>, which sets the standard
/// <c>PGHOST</c>, <c>PGPORT</c>, <c>PGUSER</c>, <c>PGPASSWORD</c>). Each test host gets a database of its own.
/// </summary>
public static class PostgresServer
{
    public static string AdminConnectionString => Builder("postgres").ConnectionString;

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public static string CreateDatabase()
    {
        var name = "portal_test_" + Guid.NewGuid().ToString("n");
        using var connection = new NpgsqlConnection(AdminConnectionString);
        connection.Open();
        using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        create.ExecuteNonQuery();
        return Builder(name).ConnectionString;
    }

    public static void DropDatabase(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        using var connection = new NpgsqlConnection(AdminConnectionString);
        connection.Open();
        using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        drop.ExecuteNonQuery();
    }

    private static NpgsqlConnectionStringBuilder Builder(string database)
    {
        var host = Environment.GetEnvironmentVariable("PGHOST");
        if (string.IsNullOrEmpty(host))
        {
            throw new InvalidOperationException(
                "These tests need a PostgreSQL server: run ./test.sh (it starts a throw-away cluster with pg_virtualenv), " +
                "or run the tests inside one yourself: pg_virtualenv -o fsync=off dotnet test Portal.sln");
        }

        return new NpgsqlConnectionStringBuilder
        {
            Host = host,
            Port = int.TryParse(Environment.GetEnvironmentVariable("PGPORT"), out var port) ? port : 5432,
            Username = Environment.GetEnvironmentVariable("PGUSER") ?? "postgres",
            Password = Environment.GetEnvironmentVariable("PGPASSWORD"),
            Database = database,
            // Many short-lived hosts share the cluster: keep each one's pool small.
            MaxPoolSize = 20,
        };
    }
}
