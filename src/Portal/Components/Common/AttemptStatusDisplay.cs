using MudBlazor;
using Portal.Core.Attempts;

namespace Portal.Components.Common;

/// <summary>One label and one colour per attempt status, for customer, support and admin screens alike.</summary>
public static class AttemptStatusDisplay
{
    /// <summary>The state machine's own words, spaced: <c>requires action</c>, <c>fulfilled</c>.</summary>
    public static string Label(AttemptStatus status) => status.ToWire().Replace('_', ' ');

    /// <summary>The chip's colour as the theme draws it, for charts (which take colours, not palette names).</summary>
    public static string Hex(AttemptStatus status) => Color(status) switch
    {
        MudBlazor.Color.Success => "#2E7D32",
        MudBlazor.Color.Error => "#C62828",
        MudBlazor.Color.Info => "#0277BD",
        MudBlazor.Color.Warning => "#9A5B00",
        _ => "#757575",
    };

    public static Color Color(AttemptStatus status) => status switch
    {
        AttemptStatus.Fulfilled => MudBlazor.Color.Success,
        AttemptStatus.Failed => MudBlazor.Color.Error,
        AttemptStatus.Processing => MudBlazor.Color.Info,
        AttemptStatus.Expired or AttemptStatus.Cancelled => MudBlazor.Color.Default,
        _ => MudBlazor.Color.Warning,
    };
}
