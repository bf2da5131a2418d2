using Microsoft.Playwright;

namespace MeshPortal.Tests.Support.Browser.Pages;

/// <summary>/ : the mesh's overall state, its problems (one per root cause) and the counters linking to filtered lists.</summary>
public sealed class OverviewPage(IPage page) : PortalPage(page)
{
    public Task GotoAsync() => OpenAsync("/");

    public ILocator State => TestId("overview-state");

    /// <summary>The problems shown, optionally of one kind (<c>data-kind</c>) and containing <paramref name="text"/>.</summary>
    public ILocator Problem(string? kind = null, string? text = null) =>
        Page.Locator(kind is null ? "[data-testid=overview-problem]" : $"[data-testid=overview-problem][data-kind={kind}]", new() { HasText = text });

    public ILocator Counter(string text) => Page.Locator("[data-testid=overview-counter]", new() { HasText = text });
}
