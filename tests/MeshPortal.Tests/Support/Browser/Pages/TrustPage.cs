using MeshPortal.Core.Features.Trust;
using Microsoft.Playwright;

namespace MeshPortal.Tests.Support.Browser.Pages;

/// <summary>/trust: the root card, one row per cluster, the guided root rotation and per-cluster root transitions.</summary>
public sealed class TrustPage(IPage page) : PortalPage(page)
{
    public Task GotoAsync() => OpenAsync("/trust");

    public ILocator RootCard => TestId("root-card");
    public ILocator NextRootCard => TestId("next-root-card");
    public ILocator Message => TestId("trust-message");
    public ILocator Footnote => TestId("trust-footnote");
    public ILocator Rotation => TestId("rotation");
    public ILocator RotationPreview => TestId("rotation-preview");
    public ILocator RotationPreviewToggle => TestId("rotation-preview-toggle");
    public ILocator RotationNext => TestId("rotation-next");
    public ILocator RotationOverride => TestId("rotation-override");

    /// <summary>The cluster's row in the trust table.</summary>
    public ILocator Row(string cluster) => Page.Locator("[data-testid=trust-table] tr", new() { HasText = cluster });

    /// <summary>The cluster's row in the rotation preview.</summary>
    public ILocator PreviewRow(string cluster) => RotationPreview.Locator("tr", new() { HasText = cluster });

    /// <summary>The root-transition panel of <paramref name="cluster"/>.</summary>
    public ILocator Transition(string cluster) => TestId($"transition-{cluster}");
}
