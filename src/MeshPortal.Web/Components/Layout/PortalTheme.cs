using MudBlazor;

namespace MeshPortal.Web.Components.Layout;

internal static class PortalTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1f5fa8",
            Secondary = "#5f6b7a",
            AppbarBackground = "#163a63",
            Success = "#2e7d32",
            Warning = "#955700", // white text on it and it as text on white both pass WCAG AA (axe color-contrast),
            Error = "#c62828",
            Info = "#0277bd",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica", "Arial", "sans-serif"] },
        },
    };
}
