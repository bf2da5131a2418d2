using MeshPortal.Core.Features.Topology;
using MeshPortal.Web.ViewModels;

namespace MeshPortal.Tests.Web.Components;

/// <summary>
/// Every text colour of the wall screen against every background it can be drawn on, whatever the mesh's state: WCAG AA
/// (4.5:1, normal text; on a phone the screen's type is not large). The browser's axe run only sees the states its data produces.
/// </summary>
[Trait("Speed", "Web")]
public sealed class ScreenPaletteTests
{
    private static readonly string[] TileStates =
        [TopologyStates.Ok, TopologyStates.Partial, TopologyStates.Failing, TopologyStates.Stale, "Unknown"];

    public static TheoryData<string, string, string> Pairs()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var level in Enum.GetValues<HealthLevel>())
        {
            foreach (var (name, text) in new[] { ("text", ScreenPalette.Text), ("strong", ScreenPalette.Strong), ("time", ScreenPalette.Secondary) })
            {
                data.Add($"head {level}, {name}", text, ScreenPalette.Level(level));
            }
        }

        foreach (var state in TileStates)
        {
            foreach (var (name, text) in new[] { ("text", ScreenPalette.Text), ("small/age", ScreenPalette.Secondary), ("stale", ScreenPalette.Muted) })
            {
                data.Add($"tile {state}, {name}", text, ScreenPalette.Tile(state));
            }
        }

        data.Add("page, text", ScreenPalette.Text, ScreenPalette.Page);
        data.Add("page, empty", ScreenPalette.Muted, ScreenPalette.Page);
        foreach (var (name, text) in new[] { ("title", ScreenPalette.Text), ("hint", ScreenPalette.Muted), ("critical", ScreenPalette.Critical), ("warning", ScreenPalette.Warning) })
        {
            data.Add($"problems, {name}", text, ScreenPalette.Panel);
        }

        data.Add("reconnect, text", ScreenPalette.Strong, ScreenPalette.Alarm);
        data.Add("reconnect, since", ScreenPalette.Critical, ScreenPalette.Alarm);
        return data;
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Every_text_colour_meets_AA_on_every_background_it_is_drawn_on(string where, string text, string background)
    {
        var ratio = Contrast(text, background);
        Assert.True(ratio >= 4.5, $"{where}: {text} on {background} is {ratio:0.00}:1, below 4.5:1");
    }

    [Theory]
    [InlineData("#ffffff", "#000000", 21.0)]
    [InlineData("#777777", "#ffffff", 4.48)]
    [InlineData("#e3e9ef", "#a85800", 4.23)] // what CI's axe run found on the "needs attention" head
    public void Contrast_is_the_WCAG_ratio(string a, string b, double expected) =>
        Assert.Equal(expected, Contrast(a, b), 2);

    /// <summary>WCAG 2 contrast ratio of two #rrggbb colours.</summary>
    private static double Contrast(string a, string b)
    {
        var (la, lb) = (Luminance(a), Luminance(b));
        return (Math.Max(la, lb) + 0.05) / (Math.Min(la, lb) + 0.05);
    }

    private static double Luminance(string hex)
    {
        static double Channel(string hex, int at)
        {
            var c = Convert.ToInt32(hex.Substring(at, 2), 16) / 255.0;
            return c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }

        return 0.2126 * Channel(hex, 1) + 0.7152 * Channel(hex, 3) + 0.0722 * Channel(hex, 5);
    }
}
