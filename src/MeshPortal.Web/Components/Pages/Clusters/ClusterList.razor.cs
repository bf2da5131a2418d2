using MeshPortal.Core.Features.Clusters;
using MeshPortal.Web.ViewModels;
using Microsoft.AspNetCore.Components;

namespace MeshPortal.Web.Components.Pages.Clusters;

public partial class ClusterList
{
    [Inject] public required MeshPortal.Core.Features.Clusters.ClusterQueries ClusterViews { get; init; }
    [Inject] public required TimeProvider Clock { get; init; }
    [Inject] public required MeshPortal.Core.Features.Topology.TopologyQueries Topology { get; init; }
    [Inject] public required MeshPortal.Core.Features.Exports.ExportQueries Exports { get; init; }
    [Inject] public required MeshPortal.Core.Features.Trust.TrustStatusReader Trust { get; init; }

    private List<ClusterRowViewModel>? rows;
    private List<ClusterRowViewModel> shown = [];
    private DateTimeOffset now;
    private IReadOnlyList<MeshPortal.Core.Features.Topology.HealthProblem> problems = [];

    private IReadOnlyList<MeshPortal.Core.Features.Topology.HealthProblem> ProblemsOf(string cluster) => ClusterProblems.For(problems, cluster);

    /// <summary>?status=failing (last check failed: Unreachable or Degraded) or a status name; the Overview's counters link here.</summary>
    [SupplyParameterFromQuery(Name = "status")] public string? StatusFilter { get; set; }

    protected override void OnParametersSet() => Filter();

    private void Filter() => shown = rows is null ? [] : [.. rows.Where(r => StatusFilter switch
    {
        null or "" => true,
        "failing" => r.Status is ClusterStatus.Unreachable or ClusterStatus.Degraded,
        _ => string.Equals(r.Status.ToString(), StatusFilter, StringComparison.OrdinalIgnoreCase),
    })];

    protected override async Task ReloadAsync()
    {
        now = Clock.GetUtcNow();
        rows = (await ClusterViews.ListAsync(CancellationToken.None)).Select(c => ClusterRowViewModel.From(c, now)).ToList();
        problems = rows.Count == 0 ? [] : (await MeshHealthLoader.LoadAsync(Topology, Exports, Trust, null, now, CancellationToken.None)).Health.Problems;
        Filter();
    }
}
