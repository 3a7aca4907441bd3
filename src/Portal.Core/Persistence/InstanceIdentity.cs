namespace Portal.Core.Persistence;

/// <summary>This running process among the portal's instances.</summary>
public sealed class InstanceIdentity
{
    public InstanceIdentity(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        Name = configuration["Portal:InstanceName"] is { Length: > 0 } name ? name : $"{Environment.MachineName}-{Environment.ProcessId}";
        ApplicationName = ApplicationNamePrefix + Id.ToString("N");
    }

    /// <summary>What this instance's PostgreSQL connections are named (<c>application_name</c>): <c>portal/</c> + <see cref="Id"/>.</summary>
    public const string ApplicationNamePrefix = "portal/";

    /// <summary>Unique per process: tells this instance's own notifications from the others'.</summary>
    public Guid Id { get; } = Guid.NewGuid();

    /// <summary><c>Portal:InstanceName</c>, or host and process id: who claimed a job, who leads the sweeper.</summary>
    public string Name { get; }

    /// <summary>
    /// The <c>application_name</c> of this instance's PostgreSQL connections: <c>pg_stat_activity</c> shows whose a
    /// connection is, and the trigger that announces attempt changes puts it in each notice as the change's origin.
    /// </summary>
    public string ApplicationName { get; }
}
