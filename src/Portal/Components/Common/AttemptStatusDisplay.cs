using MudBlazor;
using Portal.Core.Checkout;

namespace Portal.Components.Common;

/// <summary>One label and one colour per attempt status, for customer, support and admin screens alike.</summary>
public static class AttemptStatusDisplay
{
    /// <summary>The state machine's own words, spaced: <c>requires action</c>, <c>fulfilled</c>.</summary>
    public static string Label(AttemptStatus status) => status.ToWire().Replace('_', ' ');

    public static Color Color(AttemptStatus status) => status switch
    {
        AttemptStatus.Fulfilled => MudBlazor.Color.Success,
        AttemptStatus.Failed => MudBlazor.Color.Error,
        AttemptStatus.Processing => MudBlazor.Color.Info,
        AttemptStatus.Expired or AttemptStatus.Cancelled => MudBlazor.Color.Default,
        _ => MudBlazor.Color.Warning,
    };
}
