using MudBlazor;

namespace Portal.Components.Layout;

/// <summary>
/// MudBlazor's light palette with the colours that carry text darkened to WCAG AA (at least 4.5:1 against white, for
/// white text on a filled chip or button and for coloured text on the page). MudBlazor's defaults (pink secondary,
/// orange warning, bright green success, light blue info, red error) fall between 2.2:1 and 3.7:1.
/// </summary>
public static class PortalTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Secondary = "#C2185B", // 5.9:1
            Tertiary = "#00796B", // 5.3:1
            Info = "#0277BD", // 4.8:1
            Success = "#2E7D32", // 5.1:1
            Warning = "#9A5B00", // 5.4:1
            Error = "#C62828", // 5.6:1
        },
    };
}
