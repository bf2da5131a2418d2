using MeshPortal.Core.Features.Topology;
using Microsoft.Playwright;

namespace MeshPortal.Tests.Support.Browser.Pages;

/// <summary>/topology: clusters as nodes, exports as edges, network groups with their east-west gateways, zoom and filters.</summary>
public sealed class TopologyPage(IPage page) : PortalPage(page)
{
    public Task GotoAsync() => OpenAsync("/topology");

    public ILocator Graph => TestId("topology-graph");
    public ILocator ZoomLayer => TestId("zoom-layer");
    public ILocator Details => TestId("topology-details");

    public ILocator Node(string cluster) => Page.Locator($"[data-testid=node][data-node='{cluster}']");

    /// <summary>The edge from consumer <paramref name="from"/> to exporter <paramref name="to"/>.</summary>
    public ILocator Edge(string from, string to) => Page.Locator($"[data-testid=edge][data-edge='{from}->{to}']");

    public ILocator ServiceEdge(string service) => Page.Locator($"[data-testid=service-edge][data-service='{service}']");

    public ILocator NetworkGroup(string network) => Page.Locator($"[data-testid=network-group][data-network={network}]");

    public ILocator Gateway(string cluster) => Page.Locator($"[data-testid=gateway-node][data-cluster={cluster}]");

    /// <summary>A filter's input (namespace, search, ...).</summary>
    public ILocator Filter(string name) => Page.Locator($"input[data-testid=filter-{name}], [data-testid=filter-{name}] input").First;
}
