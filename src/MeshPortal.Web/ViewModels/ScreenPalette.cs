using MeshPortal.Core.Features.Topology;

namespace MeshPortal.Web.ViewModels;

/// <summary>
/// Every colour of the wall screen, in one place so a test can check each text colour against each background it is drawn on
/// (WCAG AA, 4.5:1 for normal text: the screen is also opened on phones, where its type is not large). The head takes the
/// level's colour and the tiles the state's, so which pair is on screen depends on the mesh at that moment; an axe run sees
/// only the pairs its data happens to produce (CI once saw "needs attention": light grey on #a85800 was 4.2:1).
/// </summary>
public static class ScreenPalette
{
    public const string Page = "#0f1720";
    public const string Neutral = "#37414d";
    public const string Green = "#1b5e20";
    public const string Amber = "#854800";
    public const string Red = "#8e1b1b";
    public const string Panel = "#1b2633";
    public const string PanelRule = "#2b3a4b";
    public const string Alarm = "#2b1010";
    public const string AlarmRule = "#ff5252";

    public const string Text = "#f2f6fa";
    public const string Strong = "#ffffff";
    public const string Secondary = "#e3e9ef";
    public const string Muted = "#c9d3de";
    public const string Critical = "#ff8a80";
    public const string Warning = "#ffd180";

    /// <summary>The head's background for a level: the same colours as the tiles'.</summary>
    public static string Level(HealthLevel level) => level switch
    {
        HealthLevel.Failing => Red,
        HealthLevel.Warning => Amber,
        HealthLevel.Healthy => Green,
        _ => Neutral,
    };

    /// <summary>A tile's background for its state: dark enough for every text colour of a tile.</summary>
    public static string Tile(string state) => state switch
    {
        TopologyStates.Ok => Green,
        TopologyStates.Partial => Amber,
        TopologyStates.Failing => Red,
        _ => Neutral,
    };
}
