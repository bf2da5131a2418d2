using MeshPortal.Web;
using Microsoft.AspNetCore.Components;

namespace MeshPortal.Tests.Core.Clusters;

/// <summary>Issue 12: one <see cref="PortalUrls"/> for every route the portal links to, and each page address has a page.</summary>
[Trait("Speed", "Fast")]
public sealed class PortalUrlsTests
{
    public static TheoryData<string> PageUrls => new()
    {
        PortalUrls.Overview(), PortalUrls.Clusters(), PortalUrls.Clusters(status: "failing"), PortalUrls.NewCluster(),
        PortalUrls.Cluster("cluster-1"), PortalUrls.EditCluster("cluster-1"), PortalUrls.Exports(), PortalUrls.Exports(state: "Failed"),
        PortalUrls.NewExport(), PortalUrls.EditExport(7), PortalUrls.Trust(), PortalUrls.Reachability(), PortalUrls.Reachability(3, "failing", "cluster-2"),
        PortalUrls.Topology(), PortalUrls.Alerts(), PortalUrls.AlertChannels(), PortalUrls.Screen(), PortalUrls.Screen("tok"),
        PortalUrls.ScreenTokens(), PortalUrls.BackgroundJobs(), PortalUrls.Audit(), PortalUrls.Users(), PortalUrls.Teams(),
        PortalUrls.ApiTokens(), PortalUrls.Settings(), PortalUrls.Login("/clusters"), PortalUrls.AccessDeniedPath,
    };

    [Theory]
    [MemberData(nameof(PageUrls))]
    public void EveryPageAddress_IsRoutedToAPage(string url)
    {
        var path = url.Split('?')[0].Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        var templates = typeof(PortalUrls).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributes(typeof(RouteAttribute), inherit: false).Cast<RouteAttribute>())
            .Select(r => r.Template.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries))
            .ToList();
        Assert.Contains(templates, t => t.Length == path.Length
            && t.Zip(path).All(p => p.First.StartsWith('{') || string.Equals(p.First, p.Second, StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public void QueryValues_AreAddedOnlyWhenSet_AndEscaped()
    {
        Assert.Equal("/reachability", PortalUrls.Reachability());
        Assert.Equal("/reachability?export=12", PortalUrls.Reachability(12));
        Assert.Equal("/reachability?filter=failing", PortalUrls.Reachability(filter: "failing"));
        Assert.Equal("/reachability?export=12&filter=stale&cluster=cluster-2", PortalUrls.Reachability(12, "stale", "cluster-2"));
        Assert.Equal("/clusters?status=failing", PortalUrls.Clusters("failing"));
        Assert.Equal("/exports?state=Pending", PortalUrls.Exports("Pending"));
        Assert.Equal("/screen?token=a%2Bb%3D", PortalUrls.Screen("a+b="));
        Assert.Equal("/login?returnUrl=%2Fclusters%2Fcluster-1", PortalUrls.Login("/clusters/cluster-1"));
    }

    [Fact]
    public void PathSegments_AreEscaped()
    {
        Assert.Equal("/clusters/cluster-1/edit", PortalUrls.EditCluster("cluster-1"));
        Assert.Equal("/clusters/a%2Fb", PortalUrls.Cluster("a/b"));
        Assert.Equal("/exports/7/edit", PortalUrls.EditExport(7));
        Assert.Equal("/api/v1/clusters/cluster-1/sync-runs", PortalUrls.Api.SyncRuns("cluster-1"));
        Assert.Equal("/api/v1/trust/clusters/c%201/csr.pem", PortalUrls.Api.ClusterCsr("c 1"));
        Assert.Equal("/api/v1/alerts/silences/4", PortalUrls.Api.Silence(4));
    }
}
