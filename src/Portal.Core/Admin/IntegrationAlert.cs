namespace Portal.Core.Admin;

/// <summary>An alert and what to do about it; <see cref="Urgent"/> when customers are affected now.</summary>
public sealed record IntegrationAlert(IntegrationAlertKind Kind, string Title, string Detail, bool Urgent = true)
{
    /// <summary>Where to act, when the portal has a page for it (e.g. the "Confirming too long" view).</summary>
    public string? ActionHref { get; init; }

    public string? ActionText { get; init; }
}
