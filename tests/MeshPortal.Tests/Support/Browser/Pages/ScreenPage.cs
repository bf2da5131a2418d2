using Microsoft.Playwright;

namespace MeshPortal.Tests.Support.Browser.Pages;

/// <summary>/screen: the wall screen, one tile per cluster, the overall state and the problems.</summary>
public sealed class ScreenPage(IPage page) : PortalPage(page)
{
    public Task GotoAsync() => OpenAsync("/screen");

    /// <summary>The tile of <paramref name="cluster"/>.</summary>
    public ILocator Tile(string cluster) => Page.Locator($"[data-testid=screen-tile][data-cluster='{cluster}']");

    public ILocator Problems => TestId("screen-problems");
    public ILocator State => TestId("screen-state");
}
