using MeshPortal.Core.Features.Topology;

namespace MeshPortal.Web.ViewModels;

/// <summary>
/// The mesh problems whose fix is on one cluster's page (the Overview and the wall screen link there): the cluster page
/// names them too, instead of a green "Connected" alone while its gateway is unreachable (issue 16 walk-through).
/// </summary>
public static class ClusterProblems
{
    public static IReadOnlyList<HealthProblem> For(MeshHealth health, string cluster) => For(health.Problems, cluster);

    public static IReadOnlyList<HealthProblem> For(IReadOnlyList<HealthProblem> problems, string cluster) =>
        [.. problems.Where(p => string.Equals(p.Href, PortalUrls.Cluster(cluster), StringComparison.Ordinal))];
}
