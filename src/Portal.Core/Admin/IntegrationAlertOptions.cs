namespace Portal.Core.Admin;

/// <summary>When the admin page raises an alert. Section <c>Admin:Alerts</c>; the defaults suit a partner portal's traffic.</summary>
public sealed class IntegrationAlertOptions
{
    public const string Section = "Admin:Alerts";

    /// <summary>The recent span the rejected-signature count is taken over.</summary>
    public TimeSpan RejectedSpikeWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Fewer rejections than this in the recent span never alert, whatever the usual rate.</summary>
    public int RejectedSpikeMinimum { get; set; } = 20;

    /// <summary>Alert when the recent count is at least this many times the usual count for such a span.</summary>
    public double RejectedSpikeFactor { get; set; } = 5;

    /// <summary>The span before the recent one that sets the usual rate.</summary>
    public TimeSpan RejectedSpikeBaseline { get; set; } = TimeSpan.FromHours(24);

    /// <summary>No verified delivery for this long, while attempts wait on 0Gate, raises "deliveries stopped".</summary>
    public TimeSpan DeliveriesStoppedAfter { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How far back waiting attempts are looked for.</summary>
    public TimeSpan DeliveriesStoppedLookback { get; set; } = TimeSpan.FromHours(24);
}
