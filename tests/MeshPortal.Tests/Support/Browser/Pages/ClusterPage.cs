using Microsoft.Playwright;

namespace MeshPortal.Tests.Support.Browser.Pages;

/// <summary>/clusters/{name}: facts, check history, managed objects and sync runs, probe pod, mesh model.</summary>
public sealed class ClusterPage(IPage page) : PortalPage(page)
{
    public Task GotoAsync(string name) => OpenAsync($"/clusters/{name}");

    public ILocator Facts => TestId("cluster-facts");
    public ILocator CheckHistory => TestId("check-history");
    public ILocator ManagedObjects => TestId("managed-objects");
    public ILocator LastSync => TestId("last-sync");
    public ILocator SyncRuns => TestId("sync-run");
    public ILocator ProbePodEffective => TestId("probe-pod-effective");

    public Task SyncNowAsync() => TestId("sync-now").ClickAsync();
}
