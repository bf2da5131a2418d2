using Microsoft.Playwright;

namespace MeshPortal.Tests.Support.Browser.Pages;

/// <summary>/clusters: the registered clusters, one row each.</summary>
public sealed class ClustersPage(IPage page) : PortalPage(page)
{
    public Task GotoAsync(string query = "") => OpenAsync("/clusters" + query);

    public ILocator Table => TestId("cluster-table");

    /// <summary>The row of the cluster named <paramref name="name"/> (any row containing the text).</summary>
    public ILocator Row(string name) => Page.Locator("[data-testid=cluster-table] tr", new() { HasText = name });
}
