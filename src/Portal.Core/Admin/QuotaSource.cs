namespace Portal.Core.Admin;

/// <summary>Where the quota figure comes from.</summary>
public enum QuotaSource
{
    /// <summary>Neither 0Gate nor any quota event says anything.</summary>
    Unknown,

    /// <summary>0Gate reported the limit and usage just now.</summary>
    Gate,

    /// <summary>Only the latest <c>partner.quota.*</c> event is known (0Gate did not report usage).</summary>
    Events,
}
